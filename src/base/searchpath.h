/* searchpath.h - a templates "folder" that is a list of folders.
 *
 * A project may override any single template, the theme or package.yaml by
 * placing its own file in its templates/ folder; every other file comes from
 * the installed defaults.  The stages that read templates get one string,
 * the folders in lookup order separated by ':' (G_SEARCHPATH_SEPARATOR_S),
 * and ask for a file by name.  A single folder is a list of one.
 */
#ifndef DOSSIER_SEARCHPATH_H
#define DOSSIER_SEARCHPATH_H

#include <stdbool.h>

#include <glib.h>

/* The path of `name` in the first folder of `list` that has it (any kind of
 * file: a FIFO or a folder there is reported by the reader, never skipped); when none has it, the path in the first folder (what an error
 * message should name).  The caller frees. */
char *searchpath_find(const char *list, const char *name);

/* True when some folder of `list` has `name`. */
bool searchpath_has(const char *list, const char *name);

/* The folders of `list` (NULL-terminated; g_strfreev). */
char **searchpath_dirs(const char *list);

/* Names of the regular files ending in `suffix` in any folder of `list`,
 * each once, sorted (g_ptr_array_unref; the names are owned). */
GPtrArray *searchpath_list(const char *list, const char *suffix);

#endif
