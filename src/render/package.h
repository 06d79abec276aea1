/* package.h - the package: what templates/package.yaml describes, rendered
 * and written (render and package stages).
 *
 * package.yaml lists every document in package order: its output path, its
 * template, its title, optionally `each:` (one document per item of a list
 * in the data, the item visible as the singular name, e.g. case_study) and
 * `attachment:` (a file in content/attachments/ that replaces the document's
 * PDF when supplied).  A top-level `spreadsheet:` names the workbook's path.
 * No output path is written in C.
 */
#ifndef DOSSIER_PACKAGE_H
#define DOSSIER_PACKAGE_H

#include "base/value.h"

typedef struct package package;

/* One rendered document. */
typedef struct {
	char *path;		/* relative to the package root: "company/company-overview.md" */
	char *title;
	char *folder;		/* "company" */
	char *markdown;		/* the rendered Markdown */
	char *supplied;		/* path of a supplied attachment that replaces the PDF, or NULL */
	char *pdf_path;		/* the PDF that goes beside it (or the supplied one's name) */
} package_doc;

/* Read and check templates_dir/package.yaml: paths relative and inside the
 * package, templates present, `each:` naming a list.  NULL after located
 * errors.  Free with package_free(). */
package *package_load(const char *templates_dir);
void package_free(package *p);

/* The parsed package.yaml (borrowed), for derive. */
const val *package_desc(const package *p);

/* Render every document against `root` (strict: a missing value is an
 * error).  Adds `package.documents`, `doc` and the `each:` item to root as it
 * goes.  Returns an array of package_doc* the caller owns (free function
 * set), or NULL after errors. */
GPtrArray *package_render(package *p, val *root, const char *content_dir);

/* Render one extra template (e.g. readiness.mustache) against root. */
char *package_render_one(package *p, const char *template_name, val *root);

/* Write the package to out_dir/<package name>/ atomically: everything goes to
 * a fresh folder beside it, which replaces the old one only when complete.
 * `extra` (may be NULL) writes more files into the staging folder before the
 * swap (PDFs, spreadsheet); it returns false after reporting an error.
 * Returns false (after a diag) and leaves the old package as it was on any
 * failure. */
typedef bool (*package_extra_fn)(const char *stage_dir, GPtrArray *docs, void *ud);
bool package_write(package *p, GPtrArray *docs, const char *out_dir,
		   package_extra_fn extra, void *ud);

/* The regular files under `dir`, as sorted relative paths
 * ("company/company-overview.md"); symbolic links are skipped, never
 * followed.  NULL after a diag when a folder cannot be read.  The caller
 * unrefs the array. */
GPtrArray *package_files(const char *dir);

/* The package's folder name ("bsp-application"). */
const char *package_name(const package *p);

#endif
