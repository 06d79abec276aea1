/* render/package.c - package.yaml and rendering every document (render
 * stage; see package.h).  Writing the package is the outputs' (out/) and
 * the build's (pipeline/build.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "load/yaml.h"
#include "render/package.h"
#include "render/tmpl.h"

struct package {
	char *dir;		/* templates folder */
	char *file;		/* templates/package.yaml */
	val *desc;		/* its parsed content */
	GHashTable *cache;	/* template name -> tmpl* */
	const char *const *reserved; /* what the build writes itself (borrowed) */
};

static const char *const doc_keys[] = { "path", "template", "title", "each", "attachment", NULL };

static void
doc_free(gpointer p)
{
	package_doc *d = p;
	g_free(d->path);
	g_free(d->title);
	g_free(d->folder);
	g_free(d->markdown);
	g_free(d->supplied);
	g_free(d->pdf_path);
	g_free(d->template_file);
	g_free(d->origin);
	record_free(d->templates);
	if (d->images)
		g_ptr_array_unref(d->images);
	g_free(d);
}

static void
image_free(gpointer p)
{
	package_image *im = p;
	g_free(im->file);
	g_free(im->path);
	g_free(im);
}

/* A path that stays inside the package: relative, no "..", no empty part. */
static bool
safe_relative_path(const char *path)
{
	if (!*path || path[0] == '/' || strchr(path, '\\'))
		return false;
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	for (char **p = parts; *p; p++)
		if (!**p || !strcmp(*p, "..") || !strcmp(*p, "."))
			return false;
	return true;
}

static bool
check_string(const val *entry, const char *key, bool required)
{
	const val *v = val_get(entry, key);
	if (!v) {
		if (required)
			diag(DIAG_ERROR, entry->file, entry->line, entry->col,
			     "document entry lacks required key '%s'", key);
		return !required;
	}
	if (v->kind != VAL_STRING || !*v->str) {
		diag(DIAG_ERROR, v->file, v->line, v->col, "'%s' must be a non-empty string", key);
		return false;
	}
	return true;
}

/* A path or title of package.yaml is a small template; parse it so that
 * messages point into package.yaml: the text is moved to the value's line
 * and column (one further for a quoted value).  NULL after an error. */
static tmpl *
parse_inline(const val *v)
{
	g_autofree char *src = NULL, *why = NULL;
	int skip = 0;
	if (file_read(v->file, FILE_MAX_CONTENT, &src, NULL, &why)) {
		const char *q = src;
		for (int l = 1; l < v->line && q; l++)
			if ((q = strchr(q, '\n')))
				q++;
		if (q && (int)strlen(q) >= v->col && (q[v->col - 1] == '"' || q[v->col - 1] == '\''))
			skip = 1;
	}
	GString *text = g_string_new(NULL);
	for (int l = 1; l < v->line; l++)
		g_string_append_c(text, '\n');
	for (int c = 1; c < v->col + skip; c++)
		g_string_append_c(text, ' ');
	g_string_append(text, v->str);
	tmpl *t = tmpl_parse(v->file, text->str);
	g_string_free(text, TRUE);
	return t;
}

static bool
check_entry(package *p, const val *e)
{
	if (e->kind != VAL_MAP) {
		diag(DIAG_ERROR, e->file, e->line, e->col, "each document is a mapping with path, template and title");
		return false;
	}
	bool ok = true;
	for (guint i = 0; i < val_len(e); i++) {
		const char *k = val_key(e, i);
		if (!g_strv_contains(doc_keys, k)) {
			const val *bad = val_index(e, i);
			const char *hint = diag_suggest(k, doc_keys);
			diag(DIAG_ERROR, bad->file, bad->key_line, bad->key_col,
			     "unknown key '%s' in a document entry%s%s%s", k,
			     hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
			ok = false;
		}
	}
	ok = check_string(e, "path", true) && ok;
	ok = check_string(e, "template", true) && ok;
	ok = check_string(e, "title", true) && ok;
	ok = check_string(e, "each", false) && ok;
	ok = check_string(e, "attachment", false) && ok;
	if (!ok)
		return false;
	tmpl *tp = parse_inline(val_get(e, "path")), *tt = parse_inline(val_get(e, "title"));
	ok = tp && tt;
	tmpl_free(tp);
	tmpl_free(tt);
	if (!ok)
		return false;
	const val *path = val_get(e, "path");
	/* Check the literal part now; expanded paths are checked again. */
	if (!safe_relative_path(path->str) || !g_str_has_suffix(path->str, ".md")) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "path '%s' must be a relative .md path inside the package (no '..', no leading '/')",
		     path->str);
		return false;
	}
	const val *tpl = val_get(e, "template");
	g_autofree char *tpath = searchpath_find(p->dir, tpl->str);
	if (!safe_relative_path(tpl->str)) {
		diag(DIAG_ERROR, tpl->file, tpl->line, tpl->col,
		     "template '%s' must be a file in the templates folder (no '..', no leading '/')",
		     tpl->str);
		return false;
	}
	if (!g_file_test(tpath, G_FILE_TEST_IS_REGULAR)) {
		g_auto(GStrv) names = tmpl_dir_names(p->dir, ".mustache", false);
		const char *hint = diag_suggest(tpl->str, (const char *const *)names);
		if (hint)
			diag(DIAG_ERROR, tpl->file, tpl->line, tpl->col,
			     "no template file %s (did you mean '%s'?)", tpath, hint);
		else
			diag(DIAG_ERROR, tpl->file, tpl->line, tpl->col, "no template file %s", tpath);
		return false;
	}
	const val *att = val_get(e, "attachment");
	if (att && (strchr(att->str, '/') || !strcmp(att->str, "..") || att->str[0] == '.')) {
		diag(DIAG_ERROR, att->file, att->line, att->col,
		     "attachment '%s' must be a plain file name in content/attachments/", att->str);
		return false;
	}
	return true;
}

static tmpl *get_template(package *p, const char *name);

/* What the build writes itself at `path` of the package (p->reserved:
 * "dossier.pdf", "charts/"...), or NULL when the path is free. */
static const char *
reserved(const package *p, const char *path)
{
	for (const char *const *r = p->reserved; r && *r; r++) {
		size_t n = strlen(*r);
		if ((*r)[n - 1] == '/' ? !strncmp(path, *r, n) : !strcmp(path, *r))
			return *r;
	}
	return NULL;
}

/* A file a document writes besides its Markdown (its PDF, or the supplied
 * attachment's copy): not one the build makes, not one another document
 * writes.  False after a diag at the entry's path. */
static bool
claim(const package *p, GHashTable *seen, const char *file, const val *path)
{
	const char *r = reserved(p, file);
	if (r) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "path '%s' would write %s, a file the build makes itself; choose another name",
		     path->str, file);
		return false;
	}
	gpointer first = g_hash_table_lookup(seen, file);
	if (first) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "two documents write %s (the other is listed at line %d)", file, GPOINTER_TO_INT(first));
		return false;
	}
	g_hash_table_insert(seen, g_strdup(file), GINT_TO_POINTER(path->line));
	return true;
}

/* Parse every template of the folder once, before any data is touched, so
 * a syntax error is reported once, not once per document that includes it. */
static bool
parse_all_templates(package *p)
{
	g_autoptr(GPtrArray) names = searchpath_list(p->dir, ".mustache");
	bool ok = true;
	for (guint i = 0; i < names->len; i++)
		ok = get_template(p, names->pdata[i]) && ok;
	return ok;
}

/* ---- public: the web edition's public pages ------------------------------ */

static bool
bad_at(const val *v, const char *what)
{
	diag(DIAG_ERROR, v->file, v->line, v->col, "%s", what);
	return false;
}

/* The documents entry whose path is `path`, or NULL. */
static const val *
document_entry(const package *p, const char *path)
{
	const val *docs = val_get(p->desc, "documents");
	for (guint i = 0; i < val_len(docs); i++) {
		const val *e = val_index(docs, i);
		if (!strcmp(val_get(e, "path")->str, path))
			return e;
	}
	return NULL;
}

/* A template named in `public:` exists. */
static bool
check_public_template(package *p, const val *t)
{
	g_autofree char *path = searchpath_find(p->dir, t->str);
	if (!safe_relative_path(t->str) || !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		diag(DIAG_ERROR, t->file, t->line, t->col, "no template file %s", path);
		return false;
	}
	return true;
}

/* One item of public.pages: a document of the package by path (one
 * without each:), or a page of its own with path, template and title; its
 * file name (`seen`) not taken by another. */
static bool
check_public_page(package *p, const val *pg, GHashTable *seen)
{
	const val *path = pg;
	if (pg->kind == VAL_STRING) {
		const val *e = document_entry(p, pg->str);
		if (!e || val_get(e, "each"))
			return bad_at(pg, "a public page must be the path of a document listed above "
				      "(not one with each:), or a page of its own with path, template and title");
	} else if (pg->kind == VAL_MAP) {
		if (!check_string(pg, "path", true) || !check_string(pg, "template", true) ||
		    !check_string(pg, "title", true))
			return false;
		path = val_get(pg, "path");
		if (strchr(path->str, '/') || !g_str_has_suffix(path->str, ".md") || path->str[0] == '.')
			return bad_at(path, "a public page's path is a file name ending in .md, like security.md");
		tmpl *tt = parse_inline(val_get(pg, "title"));
		bool ok = tt && check_public_template(p, val_get(pg, "template"));
		tmpl_free(tt);
		if (!ok)
			return false;
	} else {
		return bad_at(pg, "a public page is a document's path or a mapping with path, template and title");
	}
	g_autofree char *name = g_path_get_basename(path->str);
	gpointer first = g_hash_table_lookup(seen, name);
	if (first) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "two public pages are called %s (the other is at line %d)", name, GPOINTER_TO_INT(first));
		return false;
	}
	g_hash_table_insert(seen, g_strdup(name), GINT_TO_POINTER(path->line));
	return true;
}

static bool
check_public(package *p)
{
	const val *pub = val_get(p->desc, "public");
	if (!pub)
		return true;
	static const char *const keys[] = { "layout", "facts", "pages", "security_txt", NULL };
	if (pub->kind != VAL_MAP)
		return bad_at(pub, "public: is a mapping with layout, facts and pages");
	bool ok = true;
	for (guint i = 0; i < val_len(pub); i++) {
		const char *k = val_key(pub, i);
		if (!g_strv_contains(keys, k)) {
			const val *bad = val_index(pub, i);
			diag(DIAG_ERROR, bad->file, bad->key_line, bad->key_col, "unknown key '%s' in public:", k);
			ok = false;
		}
	}
	if (!ok || !check_string(pub, "layout", true) || !check_public_template(p, val_get(pub, "layout")))
		return false;
	const val *facts = val_get(pub, "facts"), *pages = val_get(pub, "pages");
	if (!facts || facts->kind != VAL_LIST)
		return bad_at(facts ? facts : pub, "public.facts must list the parts of the data the public "
			      "pages may show (company, security, ...)");
	for (guint i = 0; i < val_len(facts); i++)
		if (val_index(facts, i)->kind != VAL_STRING)
			return bad_at(val_index(facts, i), "public.facts lists top-level names of the data");
	if (!pages || pages->kind != VAL_LIST || !val_len(pages))
		return bad_at(pages ? pages : pub, "public.pages must list the public pages");
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < val_len(pages); i++)
		ok = check_public_page(p, val_index(pages, i), seen) && ok;
	const val *txt = val_get(pub, "security_txt");
	const val *days = val_get(txt, "expires_days");
	if (txt && (!days || days->kind != VAL_NUMBER || days->num < 1 || days->num > 366 ||
		    days->num != (int)days->num))
		ok = bad_at(days ? days : txt, "security_txt.expires_days must be a whole number of days "
			    "from 1 to 366 (RFC 9116 recommends less than a year)");
	return ok;
}

package *
package_load(const char *templates_dir, const char *const *reserved_paths)
{
	g_autofree char *file = searchpath_find(templates_dir, "package.yaml");
	val *desc = yaml_load_file(file);
	if (!desc)
		return NULL;
	package *p = g_new0(package, 1);
	p->dir = g_strdup(templates_dir);
	p->file = g_strdup(file);
	p->reserved = reserved_paths;
	p->desc = desc;
	p->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)tmpl_free);

	const val *name = val_get(desc, "package");
	const val *docs = val_get(desc, "documents");
	bool ok = true;
	static const char *const top_keys[] = { "package", "title", "subject", "language", "spreadsheet",
						"documents", "public", NULL };
	for (guint i = 0; desc->kind == VAL_MAP && i < val_len(desc); i++) {
		const char *k = val_key(desc, i);
		if (g_strv_contains(top_keys, k))
			continue;
		const val *bad = val_index(desc, i);
		const char *hint = diag_suggest(k, top_keys);
		diag(DIAG_ERROR, bad->file, bad->key_line, bad->key_col,
		     "unknown key '%s' in package.yaml%s%s%s", k,
		     hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		ok = false;
	}
	if (!ok) {
		/* the unknown key said it */
	} else if (desc->kind != VAL_MAP) {
		diag(DIAG_ERROR, file, 1, 1, "package.yaml must be a mapping with 'package' and 'documents'");
		ok = false;
	} else if (!name || name->kind != VAL_STRING || !safe_relative_path(name->str) || strchr(name->str, '/')) {
		diag(DIAG_ERROR, file, name ? name->line : 1, name ? name->col : 1,
		     "'package' must name the package folder, like bsp-application");
		ok = false;
	} else if (!docs || docs->kind != VAL_LIST || val_len(docs) == 0) {
		diag(DIAG_ERROR, file, docs ? docs->line : 1, docs ? docs->col : 1,
		     "'documents' must be a list of documents");
		ok = false;
	} else {
		for (guint i = 0; i < val_len(docs); i++)
			ok = check_entry(p, val_index(docs, i)) && ok;
		ok = ok && parse_all_templates(p);
	}
	const val *sheet = val_get(desc, "spreadsheet");
	if (ok && sheet && (sheet->kind != VAL_STRING || !safe_relative_path(sheet->str) ||
			    !g_str_has_suffix(sheet->str, ".xlsx"))) {
		diag(DIAG_ERROR, sheet->file, sheet->line, sheet->col,
		     "spreadsheet must be a relative .xlsx path inside the package (no '..', no leading '/')");
		ok = false;
	} else if (ok && sheet && reserved(p, sheet->str)) {
		diag(DIAG_ERROR, sheet->file, sheet->line, sheet->col,
		     "spreadsheet '%s' is inside %s, where the build writes its own files", sheet->str,
		     reserved(p, sheet->str));
		ok = false;
	}
	ok = ok && check_public(p);
	for (const char *const *k = (const char *const[]){ "title", "subject", "language", NULL }; ok && *k; k++) {
		const val *v = val_get(desc, *k);
		if (v && (v->kind != VAL_STRING || !*v->str)) {
			diag(DIAG_ERROR, v->file, v->line, v->col, "'%s' must be a non-empty string", *k);
			ok = false;
		}
	}
	if (!ok) {
		package_free(p);
		return NULL;
	}
	return p;
}

void
package_free(package *p)
{
	if (!p)
		return;
	g_free(p->dir);
	g_free(p->file);
	val_free(p->desc);
	g_hash_table_unref(p->cache);
	g_free(p);
}

const val *
package_desc(const package *p)
{
	return p->desc;
}

const char *
package_name(const package *p)
{
	return val_get(p->desc, "package")->str;
}

char *
package_read_name(const char *templates_dir)
{
	g_autofree char *file = searchpath_find(templates_dir, "package.yaml");
	val *desc = yaml_load_file(file);
	if (!desc)
		return NULL;
	const val *name = desc->kind == VAL_MAP ? val_get(desc, "package") : NULL;
	char *out = NULL;
	if (!name || name->kind != VAL_STRING || !safe_relative_path(name->str) || strchr(name->str, '/'))
		diag(DIAG_ERROR, file, name ? name->line : 1, name ? name->col : 1,
		     "'package' must name the package folder, like bsp-application");
	else
		out = g_strdup(name->str);
	val_free(desc);
	return out;
}

/* A top-level string of package.yaml, else the package's name. */
static const char *
desc_string(const package *p, const char *key)
{
	const val *v = val_get(p->desc, key);
	return v && v->kind == VAL_STRING ? v->str : package_name(p);
}

const char *
package_title(const package *p)
{
	return desc_string(p, "title");
}

const char *
package_subject(const package *p)
{
	return desc_string(p, "subject");
}

/* Partials and parents: templates/NAME.mustache, else templates/NAME. */
static char *
load_partial(void *ud, const char *name, char **file_out)
{
	package *p = ud;
	if (!safe_relative_path(name))
		return NULL;
	g_autofree char *base = g_strdup_printf("%s.mustache", name);
	const char *candidates[] = { base, name };
	for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
		g_autofree char *path = searchpath_find(p->dir, candidates[i]);
		char *text;
		g_autofree char *why = NULL;
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR) &&
		    file_read(path, FILE_MAX_CONTENT, &text, NULL, &why)) {
			*file_out = g_steal_pointer(&path);
			return text;
		}
	}
	return NULL;
}

static tmpl *
get_template(package *p, const char *name)
{
	tmpl *t = g_hash_table_lookup(p->cache, name);
	if (t)
		return t;
	g_autofree char *path = searchpath_find(p->dir, name);
	g_autofree char *text = NULL, *why = NULL;
	if (!file_read(path, FILE_MAX_CONTENT, &text, NULL, &why)) {
		diag(DIAG_ERROR, path, 0, 0, "%s", why);
		return NULL;
	}
	t = tmpl_parse(path, text);
	if (t)
		g_hash_table_insert(p->cache, g_strdup(name), t);
	return t;
}

static char *
render_named(package *p, const char *name, val *root)
{
	tmpl *t = get_template(p, name);
	if (!t)
		return NULL;
	tmpl_opts opts = { .strict = true, .load = load_partial, .load_ud = p, .names_dir = p->dir };
	return tmpl_render(t, root, &opts);
}

char *
package_render_one(package *p, const char *template_name, val *root)
{
	return render_named(p, template_name, root);
}

/* A short template inside package.yaml (a path or title with {{n}}). */
static char *
render_inline(package *p, const val *src, val *data)
{
	tmpl *t = tmpl_parse(src->file, src->str);	/* parse_inline checked it at load */
	if (!t)
		return NULL;
	tmpl_opts opts = { .strict = true, .load = load_partial, .load_ud = p, .names_dir = p->dir };
	char *out = tmpl_render(t, data, &opts);
	tmpl_free(t);
	return out;
}

/* "case_studies" -> "case_study"; "items" -> "item". */
static char *
singular(const char *plural)
{
	if (g_str_has_suffix(plural, "ies"))
		return g_strdup_printf("%.*sy", (int)strlen(plural) - 3, plural);
	if (g_str_has_suffix(plural, "s"))
		return g_strndup(plural, strlen(plural) - 1);
	return g_strdup_printf("%s_item", plural);
}

/* Expand `each:` entries into (entry, item) pairs, in package order. */
typedef struct {
	const val *entry;
	val *item;		/* borrowed from root, or NULL */
	char *item_name;
	char *path;
	char *title;
	GPtrArray *images;	/* package_image*, claimed */
} plan_item;

static void
plan_free(gpointer x)
{
	plan_item *pi = x;
	if (pi->images)
		g_ptr_array_unref(pi->images);
	g_free(pi->item_name);
	g_free(pi->path);
	g_free(pi->title);
	g_free(pi);
}

/* Claims the files document pi writes in `seen` (path -> line of its
 * entry): its Markdown, its PDF and the copy of a supplied attachment.
 * False after a located error: a path outside the package or not .md, one
 * taken already, one inside a folder the build writes.  `later` is an
 * `each:` item after the first; *stop is set when it has the first one's
 * path, as every item then would. */
static bool
claim_item(const package *p, GHashTable *seen, const plan_item *pi, const val *path,
	   bool later, bool *stop)
{
	if (!safe_relative_path(pi->path) || !g_str_has_suffix(pi->path, ".md")) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "path '%s' must be a relative .md path inside the package", pi->path);
		return false;
	}
	gpointer first = g_hash_table_lookup(seen, pi->path);
	if (first && later && GPOINTER_TO_INT(first) == path->line) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "each: gives every item the same path %s; put a field of the item "
		     "in it, like {{n}}", pi->path);
		*stop = true;
		return false;
	}
	if (first) {
		diag(DIAG_ERROR, path->file, path->line, path->col,
		     "two documents write %s (the other is listed at line %d)",
		     pi->path, GPOINTER_TO_INT(first));
		return false;
	}
	g_hash_table_insert(seen, g_strdup(pi->path), GINT_TO_POINTER(path->line));
	/* Its PDF, and the copy of a supplied attachment, are its too. */
	g_autofree char *pdf = g_strdup_printf("%.*s.pdf", (int)strlen(pi->path) - 3, pi->path);
	const val *att = val_get(pi->entry, "attachment");
	g_autofree char *dir = g_path_get_dirname(pi->path);
	g_autofree char *copy = !att ? NULL : strcmp(dir, ".") ? g_build_filename(dir, att->str, NULL)
							       : g_strdup(att->str);
	if (reserved(p, pi->path) || !claim(p, seen, pdf, path) ||
	    (copy && strcmp(copy, pdf) && !claim(p, seen, copy, path))) {
		if (reserved(p, pi->path))
			diag(DIAG_ERROR, path->file, path->line, path->col,
			     "path '%s' is inside %s, where the build writes its own files",
			     pi->path, reserved(p, pi->path));
		return false;
	}
	return true;
}

/* The images of an item that shows files of content/ (a case study's
 * `images`, beside its `file`), each claimed where it goes in the package:
 * beside the document.  Two documents of one folder may show the same
 * image; an image may not take a file the build or a document writes.
 * False after a diag at the image. */
static bool
claim_images(const package *p, GHashTable *seen, GHashTable *shown, plan_item *pi)
{
	const val *images = val_get(pi->item, "images"), *file = val_get(pi->item, "file");
	pi->images = g_ptr_array_new_with_free_func(image_free);
	if (!images || !file || file->kind != VAL_STRING)
		return true;
	bool ok = true;
	g_autofree char *from = g_path_get_dirname(file->str), *to = g_path_get_dirname(pi->path);
	for (guint i = 0; i < val_len(images); i++) {
		const val *im = val_index(images, i);
		package_image *pim = g_new0(package_image, 1);
		pim->file = g_build_filename(from, im->str, NULL);
		g_autofree char *path = strcmp(to, ".") ? g_build_filename(to, im->str, NULL) : g_strdup(im->str);
		g_autofree char *canon = g_canonicalize_filename(path, "/");	/* "./a.png" is "a.png" */
		pim->path = g_strdup(canon + 1);
		g_ptr_array_add(pi->images, pim);
		const char *was = g_hash_table_lookup(shown, pim->path);
		if (was && !strcmp(was, pim->file))
			continue;	/* shown by another document of the folder too */
		const char *r = reserved(p, pim->path);
		gpointer doc = g_hash_table_lookup(seen, pim->path);
		if (r || doc || was) {
			diag(DIAG_ERROR, im->file, im->line, im->col,
			     "image '%s' would be copied into the package as %s, %s", im->str, pim->path,
			     r ? "a file the build makes itself" : doc ? "a file a document writes"
			       : "where another file is copied");
			ok = false;
			continue;
		}
		g_hash_table_insert(shown, g_strdup(pim->path), g_strdup(pim->file));
		g_hash_table_insert(seen, g_strdup(pim->path), GINT_TO_POINTER(im->line));
	}
	return ok;
}

/* The documents of the package, in its order: one per entry, or one per
 * item of the list its `each:` names, with path and title rendered.  NULL
 * after located errors (every entry is checked). */
static GPtrArray *
plan(package *p, val *root)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(plan_free);
	const val *docs = val_get(p->desc, "documents");
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) shown = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	bool ok = true;

	for (guint i = 0; i < val_len(docs); i++) {
		const val *e = val_index(docs, i);
		const val *each = val_get(e, "each");
		guint n = 1;
		val *list = NULL;
		if (each) {
			list = val_path(root, each->str);
			if (!list || list->kind != VAL_LIST) {
				diag(DIAG_ERROR, each->file, each->line, each->col,
				     "each: '%s' is not a list in the data", each->str);
				ok = false;
				continue;
			}
			n = val_len(list);
		}
		bool stop = false;
		for (guint j = 0; j < n && !stop; j++) {
			plan_item *pi = g_new0(plan_item, 1);
			pi->entry = e;
			g_ptr_array_add(items, pi);
			val *scope = root;
			if (list) {
				pi->item = val_index(list, j);
				pi->item_name = singular(each->str);
				scope = pi->item;
			}
			const val *path = val_get(e, "path"), *title = val_get(e, "title");
			pi->path = render_inline(p, path, scope);
			pi->title = render_inline(p, title, scope);
			if (!pi->path || !pi->title || !claim_item(p, seen, pi, path, list && j > 0, &stop) ||
			    (pi->item && !claim_images(p, seen, shown, pi)))
				ok = false;
		}
	}
	if (!ok) {
		g_ptr_array_unref(items);
		return NULL;
	}
	return items;
}

/* A supplied attachment goes to Meta byte for byte: it must really be in
 * content/ (no symbolic link on the way out of it) and a .pdf must be a
 * PDF.  False after a diag. */
static bool
supplied_ok(const char *path, const char *content_dir, const char *name)
{
	g_autofree char *real = realpath(path, NULL);
	g_autofree char *top = realpath(content_dir, NULL);
	if (!real || !top || !g_str_has_prefix(real, top) || real[strlen(top)] != '/') {
		diag(DIAG_ERROR, path, 0, 0, "an attachment must be a file inside the content folder, not reached "
		     "through a symbolic link");
		return false;
	}
	GStatBuf st;
	if (g_stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag(DIAG_ERROR, path, 0, 0, "an attachment must be a regular file");
		return false;
	}
	if ((guint64)st.st_size > FILE_MAX_ATTACHMENT) {
		g_autofree char *lim = file_size_text(FILE_MAX_ATTACHMENT);
		diag(DIAG_ERROR, path, 0, 0, "file is larger than the limit of %s", lim);
		return false;
	}
	if (g_str_has_suffix(name, ".pdf")) {
		g_autofree char *head = NULL, *why = NULL;
		size_t n = 0;
		if (!file_read(real, FILE_MAX_ATTACHMENT, &head, &n, &why))
			n = 0;
		if (n < 5 || memcmp(head, "%PDF-", 5)) {
			diag(DIAG_ERROR, path, 1, 1, "not a PDF file: a PDF starts with '%%PDF-'%s",
			     n == 0 ? ", this file is empty" : "");
			return false;
		}
	}
	return true;
}

static char *
folder_of(const char *path)
{
	const char *slash = strchr(path, '/');
	return slash ? g_strndup(path, (gsize)(slash - path)) : g_strdup("");
}

GPtrArray *
package_render(package *p, val *root, const char *content_dir)
{
	g_autoptr(GPtrArray) items = plan(p, root);
	if (!items)
		return NULL;

	/* package.documents: every entry, for tables of contents. */
	val *pkg = val_set_map(root, "package");
	val_set_string(pkg, "name", package_name(p));
	val *list = val_set_list(pkg, "documents");
	for (guint i = 0; i < items->len; i++) {
		plan_item *pi = items->pdata[i];
		val *d = val_new_map();
		val_set_string(d, "path", pi->path);
		val_set_string(d, "title", pi->title);
		g_autofree char *folder = folder_of(pi->path);
		val_set_string(d, "folder", folder);
		val_list_add(list, d);
		if (pi->item)
			val_set_string(pi->item, "path", pi->path);
	}

	GPtrArray *docs = g_ptr_array_new_with_free_func(doc_free);
	bool ok = true;
	const val *failed_entry = NULL;	/* one each: item's errors are enough */
	for (guint i = 0; i < items->len; i++) {
		plan_item *pi = items->pdata[i];
		if (pi->entry == failed_entry)
			continue;
		val *doc = val_set_map(root, "doc");
		val_set_string(doc, "title", pi->title);
		val_set_string(doc, "path", pi->path);
		if (pi->item)
			val_map_set(root, pi->item_name, val_copy(pi->item));
		const char *name = val_get(pi->entry, "template")->str;
		g_autofree char *file = searchpath_find(p->dir, name);
		g_autoptr(record) templates = record_new();
		record *was = record_push(templates);	/* the partials it reads */
		g_autofree char *why = NULL, *sha = file_sha256(file, NULL, &why);	/* parsed already */
		char *md = render_named(p, name, root);
		record_pop(was);
		record_merge(was, templates);	/* what the build read too */
		if (pi->item)
			val_map_set(root, pi->item_name, val_new_null());
		if (!md) {
			ok = false;
			failed_entry = pi->entry;
			continue;
		}
		package_doc *d = g_new0(package_doc, 1);
		d->path = g_strdup(pi->path);
		d->title = g_strdup(pi->title);
		d->folder = folder_of(pi->path);
		d->markdown = md;
		d->template_file = g_steal_pointer(&file);
		d->templates = g_steal_pointer(&templates);
		d->images = pi->images ? g_ptr_array_ref(pi->images) : g_ptr_array_new();
		d->pdf_path = g_strdup_printf("%.*s.pdf", (int)strlen(pi->path) - 3, pi->path);
		const val *att = val_get(pi->entry, "attachment");
		if (att) {
			g_autofree char *sp = g_build_filename(content_dir, "attachments", att->str, NULL);
			if (g_file_test(sp, G_FILE_TEST_IS_SYMLINK)) {
				diag(DIAG_ERROR, sp, 0, 0, "an attachment must be a regular file, not a symbolic link");
				ok = false;
			} else if (file_exists(sp) && !supplied_ok(sp, content_dir, att->str)) {
				ok = false;
			} else if (file_exists(sp)) {
				d->supplied = g_steal_pointer(&sp);
				g_autofree char *dir = g_path_get_dirname(pi->path);
				g_free(d->pdf_path);
				d->pdf_path = g_build_filename(dir, att->str, NULL);
			}
		}
		g_ptr_array_add(docs, d);
	}
	val_map_set(root, "doc", val_new_null());
	if (!ok) {
		g_ptr_array_unref(docs);
		return NULL;
	}
	return docs;
}

/* ---- rendering the public pages -------------------------------------------- */

/* The loader of a public page: its layout stands in for "layout". */
typedef struct {
	package *p;
	const char *layout;	/* public.layout */
} public_loader;

static char *
load_public_partial(void *ud, const char *name, char **file_out)
{
	public_loader *l = ud;
	return load_partial(l->p, !strcmp(name, "layout") ? l->layout : name, file_out);
}

/* Is the top-level key `k` one of `facts`, or beside one of them
 * ("use_cases_text" beside "use_cases")? */
static bool
is_fact(const val *facts, const char *k)
{
	for (guint i = 0; i < val_len(facts); i++) {
		const char *f = val_index(facts, i)->str;
		size_t n = strlen(f);
		if (!strncmp(k, f, n) && (k[n] == '\0' || k[n] == '_'))
			return true;
	}
	return false;
}

/* What a public page sees: the facts public.facts names, copied. */
static val *
public_view(const val *root, const val *facts)
{
	val *view = val_new_map();
	for (guint i = 0; i < val_len(root); i++) {
		const char *k = val_key(root, i);
		if (is_fact(facts, k))
			val_map_set(view, k, val_copy(val_index(root, i)));
	}
	return view;
}

static package_doc *
render_public_page(package *p, public_loader *l, const val *pg, val *view)
{
	const val *entry = pg->kind == VAL_STRING ? document_entry(p, pg->str) : pg;
	const char *path = pg->kind == VAL_STRING ? pg->str : val_get(pg, "path")->str;
	const char *template = val_get(entry, "template")->str;
	g_autofree char *title = render_inline(p, val_get(entry, "title"), view);
	if (!title)
		return NULL;
	g_autofree char *name = g_path_get_basename(path);
	val *doc = val_set_map(view, "doc");
	val_set_string(doc, "title", title);
	val_set_string(doc, "path", name);
	tmpl *t = get_template(p, template);
	tmpl_opts opts = { .strict = true, .load = load_public_partial, .load_ud = l, .names_dir = p->dir };
	char *md = t ? tmpl_render(t, view, &opts) : NULL;
	if (!md) {
		diag(DIAG_NOTE, pg->file, pg->line, pg->col, "a public page sees only the data public.facts "
		     "names: the content's facts, no metric, case study or readiness figure");
		return NULL;
	}
	package_doc *d = g_new0(package_doc, 1);
	d->path = g_steal_pointer(&name);
	d->title = g_steal_pointer(&title);
	d->folder = g_strdup("");
	d->markdown = md;
	d->template_file = searchpath_find(p->dir, template);
	d->templates = record_new();
	d->images = g_ptr_array_new();
	d->origin = pg->kind == VAL_STRING ? g_strdup(pg->str) : NULL;
	return d;
}

GPtrArray *
package_render_public(package *p, const val *root)
{
	GPtrArray *docs = g_ptr_array_new_with_free_func(doc_free);
	const val *pub = val_get(p->desc, "public");
	if (!pub)
		return docs;
	public_loader l = { p, val_get(pub, "layout")->str };
	val *view = public_view(root, val_get(pub, "facts"));
	const val *pages = val_get(pub, "pages");
	bool ok = true;
	for (guint i = 0; i < val_len(pages); i++) {
		package_doc *d = render_public_page(p, &l, val_index(pages, i), view);
		if (d)
			g_ptr_array_add(docs, d);
		ok = ok && d;
	}
	val_free(view);
	if (!ok)
		g_clear_pointer(&docs, g_ptr_array_unref);
	return docs;
}
