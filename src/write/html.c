/* write/html.c - the web edition: every document of the package as an
 * HTML page in OUT/site/, beside the package and outside its zip (package
 * stage; see write.h).
 *
 *     OUT/site/index.html              the documents, grouped by folder, with their PDFs
 *     OUT/site/style.css               templates/site.css, the theme's colours first
 *     OUT/site/company/company-overview.html   one page per document, at its
 *                                      package path with .html for .md
 *
 * Each page is the document's Markdown through write/html_doc.c, with a
 * navigation of every document, previous/next links and a link to its
 * PDF (../<package>/..., so the links hold both from the files and under
 * `dossier serve`).  A link in a document to another document goes to its
 * page.  A draft carries the same band as its PDFs.  Runs after the
 * charts (it inlines their SVG files) and makes every page anew: the build
 * then keeps the previous file of every page whose bytes did not change,
 * so an incremental build equals a --force one by construction.
 */
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "base/searchpath.h"
#include "load/yaml.h"
#include "write/html.h"
#include "write/site.h"
#include "write/write.h"

/* "company/x.md" -> "company/x.html" */
char *
site_page_path(const char *md_path)
{
	const char *dot = g_str_has_suffix(md_path, ".md") ? md_path + strlen(md_path) - 3 : NULL;
	return dot ? g_strdup_printf("%.*s.html", (int)(dot - md_path), md_path)
		   : g_strconcat(md_path, ".html", NULL);
}

/* "compliance" -> "Compliance": the group a document is listed under. */
static char *
group_name(const char *folder)
{
	if (!*folder)
		return NULL;
	char *g = g_strdup(folder);
	g[0] = g_ascii_toupper(g[0]);
	for (char *p = g; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	return g;
}

const char *
site_lang(const WriteCtx *ctx)
{
	const val *l = val_get(package_desc(ctx->pl->pkg), "language");
	return l && l->kind == VAL_STRING ? l->str : "en";
}

/* templates/site.css, after the theme's colours as custom properties
 * (--color-accent: #1b66a6;), so the pages follow the PDFs' theme.
 * NULL after a diag. */
char *
site_stylesheet(const WriteCtx *ctx)
{
	const char *tdir = ctx->pl->templates_dir;
	g_autofree char *css_path = searchpath_find(tdir, SITE_CSS);
	g_autofree char *css = NULL, *why = NULL;
	if (!file_read(css_path, FILE_MAX_CONTENT, &css, NULL, &why)) {
		diag(DIAG_ERROR, css_path, 0, 0, "%s", why);
		return NULL;
	}
	GString *s = g_string_new(NULL);
	g_autofree char *theme_path = searchpath_find(tdir, "theme.yaml");
	val *theme = g_file_test(theme_path, G_FILE_TEST_IS_REGULAR) ? yaml_load_file(theme_path) : NULL;
	const val *colors = val_get(theme, "colors");
	bool any = false;
	for (guint i = 0; colors && colors->kind == VAL_MAP && i < val_len(colors); i++) {
		const val *c = val_index(colors, i);
		if (c->kind != VAL_STRING || c->str[0] != '#' || strlen(c->str) != 7 ||
		    strspn(c->str + 1, "0123456789abcdefABCDEF") != 6)
			continue;	/* the typesetter reports a bad colour */
		if (!any)
			g_string_append(s, ":root {\n");
		any = true;
		g_autofree char *name = g_strdup(val_key(colors, i));
		g_strdelimit(name, "_", '-');
		g_string_append_printf(s, "\t--color-%s: %s;\n", name, c->str);
	}
	if (any)
		g_string_append(s, "}\n\n");
	val_free(theme);
	g_string_append(s, css);
	return g_string_free(s, FALSE);
}

/* ---- the pages of the package ------------------------------------------- */

typedef struct {
	const WriteCtx *ctx;
	GHashTable *pages;	/* package path of each document -> its page */
	const char *from;	/* the page being made (site path) */
} site_links;

/* A link in a document: to another document's page, or to the file in
 * the package beside the site. */
static char *
link_in_site(void *ud, const char *target)
{
	site_links *l = ud;
	const char *page = g_hash_table_lookup(l->pages, target);
	if (page)
		return html_relative(l->from, page);
	g_autofree char *file = g_build_filename("..", l->ctx->pkg_name, target, NULL);
	g_autofree char *from = g_build_filename("site", l->from, NULL);
	g_autofree char *to = g_build_filename("site", file, NULL);
	g_autofree char *norm = g_canonicalize_filename(to, "/");
	g_autofree char *norm_from = g_canonicalize_filename(from, "/");
	return html_relative(norm_from + 1, norm + 1);
}

/* The navigation of every document, as seen from page `from`. */
static html_nav *
site_nav(const WriteCtx *ctx, const char *from)
{
	GPtrArray *docs = ctx->pl->docs;
	html_nav *nav = g_new0(html_nav, docs->len);
	for (guint i = 0; i < docs->len; i++) {
		const package_doc *d = docs->pdata[i];
		g_autofree char *page = site_page_path(d->path);
		nav[i].group = d->folder;
		nav[i].title = d->title;
		nav[i].href = html_relative(from, page);
		nav[i].current = !strcmp(page, from);
	}
	return nav;
}

static void
nav_free(html_nav *nav, guint n)
{
	for (guint i = 0; i < n; i++)
		g_free(nav[i].href);
	g_free(nav);
}

/* Group headings: the folder names, capitalised (nav[].group borrows them). */
static GPtrArray *
group_nav(html_nav *nav, guint n)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) {
		char *g = group_name(nav[i].group ? nav[i].group : "");
		g_ptr_array_add(names, g);
		nav[i].group = g;
	}
	return names;
}

/* The href of the package's `file` from site page `from`. */
static char *
pkg_href(const WriteCtx *ctx, const char *from, const char *file)
{
	site_links l = { .ctx = ctx, .from = from };
	g_autoptr(GHashTable) none = g_hash_table_new(g_str_hash, g_str_equal);
	l.pages = none;
	return link_in_site(&l, file);
}

/* A supplied original stands in for the document: its page says so and
 * links to it. */
static char *
supplied_body(const WriteCtx *ctx, const package_doc *d, const char *from)
{
	g_autofree char *href = pkg_href(ctx, from, d->pdf_path);
	g_autofree char *name = g_path_get_basename(d->pdf_path);
	GString *s = g_string_new("<h1>");
	html_escape(s, d->title);
	g_string_append(s, "</h1>\n<p>Supplied as a PDF: <a href=\"");
	html_escape(s, href);
	g_string_append(s, "\">");
	html_escape(s, name);
	g_string_append(s, "</a>.</p>\n");
	return g_string_free(s, FALSE);
}

static bool
write_doc_page(const WriteCtx *ctx, GHashTable *pages, const package_doc *d, const char *mark)
{
	g_autofree char *page = site_page_path(d->path);
	site_links l = { .ctx = ctx, .pages = pages, .from = page };
	g_autofree char *shown = g_build_filename(ctx->pkg, d->path, NULL);
	html_source src = {
		.doc_path = d->path, .shown = shown, .pkg_dir = ctx->pkg,
		.link = link_in_site, .link_ud = &l,
	};
	g_autofree char *body = d->supplied ? supplied_body(ctx, d, page) : html_body(&src, d->markdown);
	if (!body)
		return false;
	guint n = ctx->pl->docs->len;
	html_nav *nav = site_nav(ctx, page);
	g_autoptr(GPtrArray) groups = group_nav(nav, n);
	g_autofree char *css = html_relative(page, SITE_CSS_OUT);
	g_autofree char *home = html_relative(page, "index.html");
	g_autofree char *pdf = pkg_href(ctx, page, d->pdf_path);
	html_page pg = {
		.lang = site_lang(ctx), .title = d->title, .site = package_title(ctx->pl->pkg),
		.home = home, .css_href = css, .mark = mark, .pdf_href = pdf,
		.nav = nav, .n_nav = n,
	};
	g_autofree char *html = html_page_render(&pg, body);
	nav_free(nav, n);
	g_autofree char *path = g_build_filename(ctx->stage, SITE_DIR, page, NULL);
	return fileop_write(path, html, strlen(html));
}

/* ---- the index ----------------------------------------------------------- */

static void
index_link(GString *s, const char *href, const char *title, const char *pdf)
{
	g_string_append(s, "<li><a href=\"");
	html_escape(s, href);
	g_string_append(s, "\">");
	html_escape(s, title);
	g_string_append(s, "</a>");
	if (pdf) {
		g_string_append(s, " <a class=\"pdf\" href=\"");
		html_escape(s, pdf);
		g_string_append(s, "\" aria-label=\"");
		html_escape(s, title);
		g_string_append(s, ", PDF\">PDF</a>");
	}
	g_string_append(s, "</li>\n");
}

/* Every document by folder, then the files of the whole package, then the
 * public pages (write/public.c). */
static char *
index_body(const WriteCtx *ctx)
{
	const val *root = ctx->pl->root;
	GString *s = g_string_new("<h1>");
	html_escape(s, package_title(ctx->pl->pkg));
	g_string_append(s, "</h1>\n<p class=\"lead\">");
	html_escape(s, val_path(root, "company.legal_name")->str);
	g_string_append(s, " — data as of ");
	html_escape(s, val_path(root, "build.date_long")->str);
	g_string_append(s, "</p>\n");
	const char *folder = NULL;
	GPtrArray *docs = ctx->pl->docs;
	for (guint i = 0; i < docs->len; i++) {
		const package_doc *d = docs->pdata[i];
		if (!folder || strcmp(folder, d->folder)) {
			if (folder)
				g_string_append(s, "</ul>\n");
			g_autofree char *g = group_name(d->folder);
			g_string_append(s, "<h2>");
			html_escape(s, g ? g : package_title(ctx->pl->pkg));
			g_string_append(s, "</h2>\n<ul class=\"documents\">\n");
			folder = d->folder;
		}
		g_autofree char *page = site_page_path(d->path);
		g_autofree char *pdf = pkg_href(ctx, "index.html", d->pdf_path);
		index_link(s, page, d->title, pdf);
	}
	if (folder)
		g_string_append(s, "</ul>\n");
	g_string_append(s, "<h2>The whole package</h2>\n<ul class=\"documents\">\n");
	g_autofree char *all = pkg_href(ctx, "index.html", "dossier.pdf");
	index_link(s, all, "Every document in one PDF", NULL);
	const val *sheet = val_get(package_desc(ctx->pl->pkg), "spreadsheet");
	if (sheet) {
		g_autofree char *x = pkg_href(ctx, "index.html", sheet->str);
		g_autofree char *name = g_path_get_basename(sheet->str);
		index_link(s, x, name, NULL);
	}
	g_string_append(s, "</ul>\n");
	site_index_public(ctx, s);
	return g_string_free(s, FALSE);
}

static bool
write_index(const WriteCtx *ctx, const char *mark)
{
	g_autofree char *body = index_body(ctx);
	guint n = ctx->pl->docs->len;
	html_nav *nav = site_nav(ctx, "index.html");
	g_autoptr(GPtrArray) groups = group_nav(nav, n);
	html_page pg = {
		.lang = site_lang(ctx), .title = package_title(ctx->pl->pkg),
		.site = package_title(ctx->pl->pkg), .home = "index.html",
		.css_href = SITE_CSS_OUT, .mark = mark, .nav = nav, .n_nav = n,
	};
	g_autofree char *html = html_page_render(&pg, body);
	nav_free(nav, n);
	g_autofree char *path = g_build_filename(ctx->stage, SITE_DIR, "index.html", NULL);
	return fileop_write(path, html, strlen(html));
}

bool
html_write(const WriteCtx *ctx)
{
	g_autofree char *css = site_stylesheet(ctx);
	if (!css)
		return false;
	g_autofree char *css_path = g_build_filename(ctx->stage, SITE_DIR, SITE_CSS_OUT, NULL);
	if (!fileop_write(css_path, css, strlen(css)))
		return false;
	const char *mark = val_truthy(val_path(ctx->pl->root, "readiness.final_ready")) ? NULL
											 : WRITE_DRAFT_MARK;
	GPtrArray *docs = ctx->pl->docs;
	g_autoptr(GHashTable) pages = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	for (guint i = 0; i < docs->len; i++) {
		const package_doc *d = docs->pdata[i];
		g_hash_table_insert(pages, d->path, site_page_path(d->path));
	}
	for (guint i = 0; i < docs->len; i++)
		if (!write_doc_page(ctx, pages, docs->pdata[i], mark))
			return false;
	return write_index(ctx, mark);
}
