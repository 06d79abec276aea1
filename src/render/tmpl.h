/* tmpl.h - dossier's Mustache engine (third stage: render).
 *
 * The render stage turns templates/ plus the value tree into one Markdown
 * document per package entry.  It works in two steps, compile then execute:
 * tmpl_parse() turns template text into an operation tree once, so syntax
 * errors come out before any data is touched; tmpl_render() then runs that
 * tree against a val tree (value.h).  The engine follows the Mustache spec
 * (interpolation, sections, inverted sections, comments, set delimiters,
 * partials, and the optional inheritance and dynamic-names modules; lambdas
 * are not supported, data has no code in it).  Partials and parents come
 * through a loader callback, so the same engine serves the spec tests, the
 * `dossier render` command and the package build.
 *
 * Errors: every function that can fail on bad input reports ONE located line
 * per problem through diag() ("FILE:LINE:COL: error: ...") and returns NULL.
 */
#ifndef DOSSIER_TMPL_H
#define DOSSIER_TMPL_H

#include <glib.h>
#include <stdbool.h>

#include "base/value.h"

/* Limits: each is a located error when exceeded. */
#define TMPL_MAX_PARTIAL_DEPTH 200	/* partials, parents and overridden blocks inside each other */
#define TMPL_MAX_NEST 100		/* sections, parents and blocks nested in one template */
#define TMPL_MAX_DEPTH 1000		/* sections and partials nested while rendering */

typedef struct tmpl tmpl;

/* Finds the text of the partial or parent template called `name`.  Returns
 * the text (g_malloc'ed; the engine frees it) or NULL when there is no such
 * template.  It may set *file_out to a g_malloc'ed file name for messages
 * (the engine frees it); left NULL, messages use `name`.  A loader that fails
 * for a reason other than absence reports it with diag() and returns NULL. */
typedef char *(*tmpl_load_fn)(void *ud, const char *name, char **file_out);

/* A tmpl_load_fn over a directory: `ud` is the directory path (const char *);
 * `name` is read from DIR/NAME.mustache, else DIR/NAME.  Absolute names and
 * names with a ".." component are refused (NULL), so a name taken from the
 * data ({{>*name}}) cannot reach outside the directory. */
char *tmpl_load_dir(void *ud, const char *name, char **file_out);

/* Parse `text`, named `file` in messages (copied).  Returns a new template
 * the caller frees with tmpl_free(), or NULL after reporting one syntax
 * error: an unclosed tag or section, a close tag that does not match, bad
 * delimiters, an empty tag, a space inside a name, nesting deeper than
 * TMPL_MAX_NEST.  `text` is not kept. */
tmpl *tmpl_parse(const char *file, const char *text);
void tmpl_free(tmpl *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(tmpl, tmpl_free)

typedef struct {
	bool strict;		/* a name with no value, or a missing partial, is an error */
	tmpl_load_fn load;	/* NULL: no partials (every partial is missing) */
	void *load_ud;		/* passed to `load` */
	const char *names_dir;	/* optional: its NAME.mustache files are the
				 * "did you mean" for a missing partial */
} tmpl_opts;

/* The files of `dir` (a folder, or a list of folders: base/searchpath.h) whose names end in `ext` (".mustache"), sorted, with
 * the extension cut off when `cut` is true: candidates for diag_suggest().
 * An empty list when the folder cannot be read. */
char **tmpl_dir_names(const char *dir, const char *ext, bool cut);

/* Run `t` against `data` (borrowed; may be NULL for no data).  `opts` may be
 * NULL for the defaults (not strict, no partials).  Returns the output, which
 * the caller g_free()s, or NULL after reporting every error met: in strict
 * mode "no value for 'x'" at each interpolation of a missing name (a section
 * or inverted section over a missing name is simply false) and "no partial
 * named 'x'"; in any mode a syntax error in a partial and partials nested
 * deeper than TMPL_MAX_PARTIAL_DEPTH.  Each partial is loaded and parsed
 * once per call. */
char *tmpl_render(const tmpl *t, const val *data, const tmpl_opts *opts);

/* tmpl_parse() then tmpl_render(): NULL on either kind of error. */
char *tmpl_render_string(const char *file, const char *text, const val *data,
			 const tmpl_opts *opts);

#endif
