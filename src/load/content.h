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

#endif
