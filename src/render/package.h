/* package.h - the package: what templates/package.yaml describes, rendered
 * in memory (render stage; write/ writes it).
 *
 * package.yaml lists every document in package order: its output path, its
 * template, its title, optionally `each:` (one document per item of a list
 * in the data, the item visible as the singular name, e.g. case_study) and
 * `attachment:` (a file in content/attachments/ that replaces the document's
 * PDF when supplied).  A top-level `spreadsheet:` names the workbook's path;
 * `title:` and `subject:` are the combined PDF's title and every file's
 * subject (default: the package name).
 * No output path is written in C.
 */
#ifndef DOSSIER_PACKAGE_H
#define DOSSIER_PACKAGE_H

#include "base/record.h"
#include "base/value.h"

typedef struct package package;

/* A file of content/ a document shows (a case study's image), copied
 * beside it into the package. */
typedef struct {
	char *file;		/* where it is: "content/case-studies/photo.png" */
	char *path;		/* in the package: "business/case-studies/photo.png" */
} package_image;

/* One rendered document. */
typedef struct {
	char *path;		/* relative to the package root: "company/company-overview.md" */
	char *title;
	char *folder;		/* "company" */
	char *markdown;		/* the rendered Markdown */
	char *supplied;		/* path of a supplied attachment that replaces the PDF, or NULL */
	char *pdf_path;		/* the PDF that goes beside it (or the supplied one's name) */
	char *template_file;	/* the template it was rendered from (project or installed) */
	char *origin;		/* a public page: the document it publishes ("compliance/x.md"), or NULL */
	record *templates;	/* the files of every template it expanded: its
				 * own, its parents and partials (base/record.h) */
	GPtrArray *images;	/* package_image*: the files of content/ it shows */
} package_doc;

/* The package rendered in memory: what load → derive → render made
 * (pipeline_run_opts, pipeline/pipeline.h), which the outputs write
 * (write/write.h).  Freed with pipeline_free(). */
typedef struct {
	char *content_dir;
	char *templates_dir;
	val *root;		/* content + derived figures */
	package *pkg;
	GPtrArray *docs;	/* package_doc*, rendered */
	GPtrArray *public_docs;	/* package_doc*, the public pages (package_render_public) */
	char *readiness_md;	/* templates/readiness.mustache rendered */
	val *programme;		/* templates/programme.yaml, checked (load/programme.h) */
	GPtrArray *app_review;	/* appreview_file*: the App Review kit (render/appreview.h) */
} package_rendered;

/* Read and check package.yaml: paths relative and inside the package,
 * templates present, `each:` naming a list, no path among `reserved` (a
 * NULL-terminated list the caller keeps, of files the build writes in the
 * package itself; a name ending in "/" is a folder).  templates_dir may be
 * a list of folders (base/searchpath.h): each file is taken from the first
 * that has it.  NULL after located errors.  Free with package_free(). */
package *package_load(const char *templates_dir, const char *const *reserved);
void package_free(package *p);

/* The parsed package.yaml (borrowed), for derive. */
const val *package_desc(const package *p);

/* Render every document against `root` (strict: a missing value is an
 * error).  Adds `package.documents`, `doc` and the `each:` item to root as it
 * goes.  Returns an array of package_doc* the caller owns (free function
 * set), or NULL after errors. */
GPtrArray *package_render(package *p, val *root, const char *content_dir);

/* The public pages of the web edition (package.yaml's `public:`), in its
 * order: each rendered with public.layout in place of layout.mustache,
 * against a copy of root that holds only the top-level names public.facts
 * lists (and the KEY_count, KEY_text ... beside them), so a metric, a case
 * study or the readiness verdict cannot reach them: a template that names
 * one is a located error.  doc->path is the page's file name
 * ("privacy-policy.md"), folder "", no PDF.  An empty array without
 * `public:`; NULL after errors.  The caller unrefs it. */
GPtrArray *package_render_public(package *p, const val *root);

/* Render one extra template (e.g. readiness.mustache) against root. */
char *package_render_one(package *p, const char *template_name, val *root);

/* The package's folder name ("bsp-application"). */
const char *package_name(const package *p);

/* The same, read from the package.yaml of `templates_dir` alone (no
 * template is read): for the commands that look at a built package.  NULL
 * after a located error; the caller frees it. */
char *package_read_name(const char *templates_dir);

/* package.yaml's `title:` (dossier.pdf's title) and `subject:` (every PDF's
 * and the spreadsheet's subject); the package name when absent. */
const char *package_title(const package *p);
const char *package_subject(const package *p);

#endif
