/* content.h - the content folder as one value tree (load stage).
 *
 * Reads every content file the schema names (templates/schema.yaml), checks
 * each against it, and puts them in one tree:
 *   - the top-level keys of company.yaml, pricing.yaml, triggers.yaml, ...
 *     at the root;
 *   - `metrics`: the monthly snapshots, oldest first (metrics/YYYY-MM.yaml,
 *     month consecutive, each `month:` equal to its file name);
 *   - `case_studies`: front matter + `body` (Markdown) + `slug`, `file` and
 *     `body_line` (the line the body starts on), ordered by `order:` then name.
 */
#ifndef DOSSIER_CONTENT_H
#define DOSSIER_CONTENT_H

#include "base/value.h"

/* Load and check content_dir against templates_dir/schema.yaml.  Reports
 * every problem through diag() and returns NULL if there was any; otherwise
 * the caller owns the tree. */
val *content_load(const char *content_dir, const char *templates_dir);

/* Split a Markdown file into front matter (parsed YAML, checked to be there)
 * and body.  *body_out is a pointer into text; *body_line the body's first
 * line.  NULL after a located error. */
val *content_front_matter(const char *file, const char *text, size_t len,
			  const char **body_out, int *body_line);

/* Whether `name` is hidden or something an editor or a copy leaves beside a
 * file (gas.md~, #gas.md#, .#gas.md, .gas.md.swp, gas.md.bak, ...): the
 * reason, a printf format with one %s for the file it stands for, whose
 * name goes to *core (caller frees); else NULL and *core NULL.  Such files
 * are never read as content; the ones that look like content get a
 * warning naming them. */
const char *content_leftover(const char *name, char **core);

/* The names in metrics folder `dir`, sorted (caller frees): every file but
 * hidden ones and editor leftovers, which get a warning when they stand for
 * a snapshot or its CSV. */
GPtrArray *content_list_metrics(const char *dir);

#endif
