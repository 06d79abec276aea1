/* source.h - where a data file's rules come from, and where in a file a
 * value's character stands (base).
 *
 * A data file under templates/ (templates/programme.yaml, for one) lists
 * its `sources:`, each with an id, a title, a URL, the date the page says
 * it was updated and the date it was read; each rule names one by id.
 * These helpers are shared by the stage that loads such a file and the one
 * that derives figures from it, so they live here, below both.
 */
#ifndef DOSSIER_BASE_SOURCE_H
#define DOSSIER_BASE_SOURCE_H

#include "base/value.h"

/* The item of `list` (a list of maps) whose `id` is `id` (borrowed), or NULL. */
const val *source_find_id(const val *list, const char *id);

/* The entry of `file`'s `sources:` whose id is `id` (borrowed), or NULL. */
const val *source_find(const val *file, const char *id);

/* Source `id` of `file` in one line: "Title, URL (updated U; read R)";
 * NULL when there is no such source.  The caller frees it. */
char *source_text(const val *file, const char *id);

/* The line and column in its file of byte `offset` of the string scalar
 * `v` (YAML: plain, quoted or a block scalar, on one line or several): for
 * an error inside a value, such as an expression.  v's own line and column
 * when its file cannot be read again. */
void source_locate(const val *v, size_t offset, int *line, int *col);

#endif
