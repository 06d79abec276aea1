/* write/html_doc.c - a document's Markdown as an HTML5 page (see html.h).
 *
 * cmark-gfm parses and renders; this file only walks the tree before
 * rendering (figures, links, raw HTML, task lists) and adds table header
 * scopes after.  The page around the body (head, header, navigation,
 * footer) is html_page_render().
 */
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "base/diag.h"
#include "base/file.h"
#include "typeset/typeset.h"
#include "write/html.h"

extern cmark_node_type CMARK_NODE_TABLE;	/* cmark-gfm's table extension */

/* ---- small helpers ------------------------------------------------------- */

void
html_escape(GString *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		default: g_string_append_c(out, *p); break;
		}
	}
}

char *
html_relative(const char *from, const char *to)
{
	/* Skip the folders both share, then one "../" per folder of `from` left. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	GString *s = g_string_new(NULL);
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			g_string_append(s, "../");
	g_string_append(s, to + common);
	return g_string_free(s, FALSE);
}

/* "a/b/../c.md" -> "a/c.md"; NULL when it climbs out of the root. */
static char *
normalise(const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	GPtrArray *kept = g_ptr_array_new();
	bool ok = true;
	for (char **p = parts; *p && ok; p++) {
		if (!**p || !strcmp(*p, "."))
			continue;
		if (!strcmp(*p, "..")) {
			if (kept->len == 0)
				ok = false;
			else
				g_ptr_array_remove_index(kept, kept->len - 1);
		} else {
			g_ptr_array_add(kept, *p);
		}
	}
	g_ptr_array_add(kept, NULL);
	char *r = ok ? g_strjoinv("/", (char **)kept->pdata) : NULL;
	g_ptr_array_free(kept, TRUE);
	return r;
}

/* A URL that names a file beside the document, not a site or an anchor. */
static bool
is_relative_url(const char *url)
{
	if (!url || !*url || url[0] == '#' || url[0] == '/' || url[0] == '?')
		return false;
	/* A scheme: letters, digits, + - . then ':' before any '/'. */
	for (const char *p = url; *p && *p != '/'; p++)
		if (*p == ':')
			return false;
	return true;
}

/* The text of an inline tree (an image's alt text). */
static void
plain_text(GString *out, cmark_node *n)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			g_string_append(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			g_string_append_c(out, ' ');
			break;
		default:
			plain_text(out, c);
			break;
		}
	}
}

static bool
is_inline(cmark_node *n)
{
	return (cmark_node_get_type(n) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE;
}

static cmark_node *
raw_node(cmark_node_type type, const char *html)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_literal(n, html);
	return n;
}

/* ---- inline SVG ---------------------------------------------------------- */

/* Every id="x" becomes id="PREFIX-x", and every reference to it
 * (href="#x", url(#x)) follows, so several drawings share a page. */
static void
svg_prefix_ids(xmlNode *n, const char *prefix)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttr *a = n->properties; a; a = a->next) {
			xmlChar *v = xmlNodeGetContent((xmlNode *)a);
			if (!v)
				continue;
			const char *name = (const char *)a->name;
			GString *nv = NULL;
			if (!strcmp(name, "id")) {
				nv = g_string_new(prefix);
				g_string_append_printf(nv, "-%s", (const char *)v);
			} else if (!strcmp(name, "href") && v[0] == '#') {
				nv = g_string_new("#");
				g_string_append_printf(nv, "%s-%s", prefix, (const char *)v + 1);
			} else if (strstr((const char *)v, "url(#")) {
				nv = g_string_new(NULL);
				g_autofree char *pfx = g_strdup_printf("url(#%s-", prefix);
				g_auto(GStrv) parts = g_strsplit((const char *)v, "url(#", -1);
				g_autofree char *joined = g_strjoinv(pfx, parts);
				g_string_append(nv, joined);
			}
			if (nv) {
				xmlNodeSetContent((xmlNode *)a, (const xmlChar *)nv->str);
				g_string_free(nv, TRUE);
			}
			xmlFree(v);
		}
		svg_prefix_ids(n->children, prefix);
	}
}

static xmlNode *
svg_child(xmlNode *root, const char *name)
{
	for (xmlNode *c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* The SVG file's <svg> element as HTML: ids prefixed, named by its
 * <title> (aria-labelledby) and described by its <desc>.  False when it
 * is no SVG. */
static bool
svg_inline(GString *out, const char *data, gsize len, const char *prefix)
{
	xmlDoc *doc = xmlReadMemory(data, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcmp((const char *)root->name, "svg")) {
		xmlFreeDoc(doc);
		return false;
	}
	svg_prefix_ids(root, prefix);
	xmlNode *title = svg_child(root, "title"), *desc = svg_child(root, "desc");
	g_autofree char *tid = g_strdup_printf("%s-title", prefix);
	g_autofree char *did = g_strdup_printf("%s-desc", prefix);
	xmlSetProp(root, (const xmlChar *)"role", (const xmlChar *)"img");
	if (title) {
		xmlSetProp(title, (const xmlChar *)"id", (const xmlChar *)tid);
		xmlSetProp(root, (const xmlChar *)"aria-labelledby", (const xmlChar *)tid);
	}
	if (desc) {
		xmlSetProp(desc, (const xmlChar *)"id", (const xmlChar *)did);
		xmlSetProp(root, (const xmlChar *)"aria-describedby", (const xmlChar *)did);
	}
	xmlBuffer *buf = xmlBufferCreate();
	xmlSaveCtxt *save = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_NO_DECL);
	xmlSaveTree(save, root);
	xmlSaveClose(save);
	g_string_append_len(out, (const char *)xmlBufferContent(buf), xmlBufferLength(buf));
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return true;
}

/* ---- the walk before rendering ------------------------------------------- */

typedef struct {
	const html_source *src;
	int figures;		/* figures so far: ids f1, f2, ... */
	int tasks;
	GPtrArray *slugs;	/* the id of every heading, in order */
	GPtrArray *tables;	/* the header cells of every table, in order */
	GHashTable *used;	/* the slugs given so far */
	bool failed;
} walk_ctx;

/* A heading's id, as GitHub makes them: its text in lower case, letters,
 * digits, '-' and '_' kept, spaces made '-', the rest dropped; "-1", "-2"
 * after a repeat. */
static void
heading_slug(walk_ctx *w, cmark_node *h)
{
	GString *text = g_string_new(NULL);
	plain_text(text, h);
	g_autofree char *low = g_utf8_strdown(text->str, -1);
	g_string_free(text, TRUE);
	GString *slug = g_string_new(NULL);
	for (const char *p = low; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isalnum(c) || c == '-' || c == '_')
			g_string_append_unichar(slug, c);
		else if (c == ' ')
			g_string_append_c(slug, '-');
	}
	if (!slug->len)
		g_string_append(slug, "section");
	char *id = g_strdup(slug->str);
	for (int n = 1; g_hash_table_contains(w->used, id); n++) {
		g_free(id);
		id = g_strdup_printf("%s-%d", slug->str, n);
	}
	g_string_free(slug, TRUE);
	g_hash_table_add(w->used, id);
	g_ptr_array_add(w->slugs, id);
}

static const char *
picture_type(const char *data, gsize len)
{
	static const struct { const char *magic; gsize n; const char *type; } types[] = {
		{ "\x89PNG\r\n\x1a\n", 8, "image/png" },
		{ "\xff\xd8\xff", 3, "image/jpeg" },
		{ "GIF8", 4, "image/gif" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (len >= types[i].n && !memcmp(data, types[i].magic, types[i].n))
			return types[i].type;
	if (len >= 12 && !memcmp(data, "RIFF", 4) && !memcmp(data + 8, "WEBP", 4))
		return "image/webp";
	return NULL;
}

/* The image `url` of the document, read from the package: its path there,
 * or NULL after a located diag. */
static char *
image_file(walk_ctx *w, cmark_node *img, const char *url)
{
	g_autofree char *dir = g_path_get_dirname(w->src->doc_path);
	g_autofree char *joined = !strcmp(dir, ".") ? g_strdup(url) : g_strconcat(dir, "/", url, NULL);
	g_autofree char *rel = is_relative_url(url) ? normalise(joined) : NULL;
	if (!rel) {
		diag(DIAG_ERROR, w->src->shown, cmark_node_get_start_line(img),
		     cmark_node_get_start_column(img),
		     "image '%s' must be a file inside the package (a relative path)", url);
		return NULL;
	}
	return g_build_filename(w->src->pkg_dir, rel, NULL);
}

/* The <figure> for image `img`: the drawing inline, or the picture as a
 * data: URL; the alt text as caption and, for a picture, as alt. */
static cmark_node *
figure_for(walk_ctx *w, cmark_node *img)
{
	const char *url = cmark_node_get_url(img);
	g_autofree char *path = image_file(w, img, url ? url : "");
	g_autofree char *data = NULL, *why = NULL;
	gsize len = 0;
	if (!path)
		return NULL;
	if (!file_read(path, FILE_MAX_ATTACHMENT, &data, &len, &why)) {
		diag(DIAG_ERROR, w->src->shown, cmark_node_get_start_line(img),
		     cmark_node_get_start_column(img), "image '%s': %s", url, why);
		return NULL;
	}
	GString *alt = g_string_new(NULL);
	plain_text(alt, img);
	g_strstrip(alt->str);
	GString *h = g_string_new("<figure>\n");
	g_autofree char *prefix = g_strdup_printf("f%d", ++w->figures);
	const char *type = picture_type(data, len);
	if (type) {
		g_autofree char *b64 = g_base64_encode((const guchar *)data, len);
		g_string_append_printf(h, "<img src=\"data:%s;base64,%s\" alt=\"", type, b64);
		html_escape(h, alt->str);
		g_string_append(h, "\">\n");
	} else if (!svg_inline(h, data, len, prefix)) {
		diag(DIAG_ERROR, w->src->shown, cmark_node_get_start_line(img),
		     cmark_node_get_start_column(img),
		     "image '%s' is neither SVG nor PNG, JPEG, GIF or WebP", url);
		g_string_free(alt, TRUE);
		g_string_free(h, TRUE);
		return NULL;
	} else {
		g_string_append_c(h, '\n');
	}
	if (alt->len) {
		g_string_append(h, "<figcaption>");
		html_escape(h, alt->str);
		g_string_append(h, "</figcaption>\n");
	}
	g_string_append(h, "</figure>\n");
	g_string_free(alt, TRUE);
	cmark_node *fig = raw_node(CMARK_NODE_HTML_BLOCK, h->str);
	g_string_free(h, TRUE);
	return fig;
}

static bool
blank_inlines(cmark_node *n)
{
	GString *s = g_string_new(NULL);
	plain_text(s, n);
	bool blank = !*g_strstrip(s->str);
	g_string_free(s, TRUE);
	return blank;
}

/* Images: each a figure after the block that holds it (as the PDF sets
 * them), the block left out when nothing else was in it. */
static void
move_images(walk_ctx *w, GPtrArray *images)
{
	cmark_node *block = NULL, *last = NULL;
	for (guint i = 0; i < images->len && !w->failed; i++) {
		cmark_node *img = images->pdata[i], *b = img;
		while (b && is_inline(b))
			b = cmark_node_parent(b);
		cmark_node *fig = figure_for(w, img);
		if (!fig) {
			w->failed = true;
			return;
		}
		if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH) {
			/* In a heading or table cell: the drawing in place. */
			cmark_node *inl = raw_node(CMARK_NODE_HTML_INLINE, cmark_node_get_literal(fig));
			cmark_node_free(fig);
			cmark_node_replace(img, inl);
			cmark_node_free(img);
			continue;
		}
		if (b != block)
			last = b;
		block = b;
		cmark_node_insert_after(last, fig);
		last = fig;
		cmark_node_free(img);	/* unlinks it */
	}
}

/* Paragraphs left with nothing but spaces once their images moved out. */
static void
drop_blank_paragraphs(GPtrArray *paras)
{
	for (guint i = 0; i < paras->len; i++) {
		cmark_node *p = paras->pdata[i];
		if (blank_inlines(p))
			cmark_node_free(p);
	}
}

/* A link to a file of the package goes where the caller says, or becomes
 * its text. */
static void
map_link(walk_ctx *w, cmark_node *link)
{
	const char *url = cmark_node_get_url(link);
	if (!is_relative_url(url))
		return;
	const char *hash = strchr(url, '#');
	g_autofree char *file = hash ? g_strndup(url, (gsize)(hash - url)) : g_strdup(url);
	g_autofree char *dir = g_path_get_dirname(w->src->doc_path);
	g_autofree char *joined = !strcmp(dir, ".") ? g_strdup(file) : g_strconcat(dir, "/", file, NULL);
	g_autofree char *target = normalise(joined);
	g_autofree char *to = target ? w->src->link(w->src->link_ud, target) : NULL;
	if (to) {
		g_autofree char *full = g_strconcat(to, hash ? hash : "", NULL);
		cmark_node_set_url(link, full);
		return;
	}
	/* No page to go to: the words stay, the link goes. */
	cmark_node *c;
	while ((c = cmark_node_first_child(link)))
		cmark_node_insert_before(link, c);
	cmark_node_free(link);
}

static bool
is_comment(const char *lit)
{
	while (lit && g_ascii_isspace(*lit))
		lit++;
	return lit && g_str_has_prefix(lit, "<!--");
}

/* Raw HTML in the Markdown is shown as text, as the PDF shows it (a block
 * as preformatted text); comments are left out. */
static void
show_raw(cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	if (is_comment(lit)) {
		cmark_node_free(n);
		return;
	}
	bool block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
	cmark_node *t = cmark_node_new(block ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_TEXT);
	cmark_node_set_literal(t, lit);
	cmark_node_replace(n, t);
	cmark_node_free(n);
}

/* A task-list item: a disabled checkbox labelled by the item's first
 * paragraph, instead of the extension's unlabelled one. */
static void
label_task(walk_ctx *w, cmark_node *item)
{
	bool checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
	int n = ++w->tasks;
	cmark_node_set_syntax_extension(item, NULL);
	cmark_node *p = cmark_node_first_child(item);
	g_autofree char *open = g_strdup_printf("<input type=\"checkbox\" disabled%s id=\"task-%d\"> "
						"<label for=\"task-%d\">",
						checked ? " checked" : "", n, n);
	if (p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH) {
		cmark_node_prepend_child(p, raw_node(CMARK_NODE_HTML_INLINE, open));
		cmark_node_append_child(p, raw_node(CMARK_NODE_HTML_INLINE, "</label>"));
	} else {
		g_autofree char *alone = g_strdup_printf("<input type=\"checkbox\" disabled%s "
							 "aria-label=\"%s\">\n", checked ? " checked" : "",
							 checked ? "done" : "not done");
		cmark_node_prepend_child(item, raw_node(CMARK_NODE_HTML_BLOCK, alone));
	}
}

static bool
is_task_item(cmark_node *n)
{
	const char *t = cmark_node_get_type_string(n);
	return t && !strcmp(t, "tasklist");
}

/* A table's name for its scrolling frame: "Table: Month, Clients, ...",
 * its header cells. */
static void
table_label(walk_ctx *w, cmark_node *table)
{
	GString *s = g_string_new("Table");
	const char *sep = ": ";
	cmark_node *row = cmark_node_first_child(table);
	for (cmark_node *c = row ? cmark_node_first_child(row) : NULL; c; c = cmark_node_next(c)) {
		GString *cell = g_string_new(NULL);
		plain_text(cell, c);
		if (*g_strstrip(cell->str)) {
			g_string_append(s, sep);
			g_string_append(s, cell->str);
			sep = ", ";
		}
		g_string_free(cell, TRUE);
	}
	g_ptr_array_add(w->tables, g_string_free(s, FALSE));
}

/* Long: one pass that sorts the nodes to change by kind, then the changes
 * in an order that keeps the collected nodes alive. */
static bool
walk(walk_ctx *w, cmark_node *root)
{
	g_autoptr(GPtrArray) images = g_ptr_array_new(), paras = g_ptr_array_new();
	g_autoptr(GPtrArray) links = g_ptr_array_new(), raw = g_ptr_array_new();
	g_autoptr(GPtrArray) tasks = g_ptr_array_new();
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	cmark_node *last_para = NULL;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_IMAGE: {
			g_ptr_array_add(images, n);
			cmark_node *b = n;
			while (b && is_inline(b))
				b = cmark_node_parent(b);
			if (b && cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH && b != last_para)
				g_ptr_array_add(paras, last_para = b);
			break;
		}
		case CMARK_NODE_LINK:
			g_ptr_array_add(links, n);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			g_ptr_array_add(raw, n);
			break;
		case CMARK_NODE_ITEM:
			if (is_task_item(n))
				g_ptr_array_add(tasks, n);
			break;
		case CMARK_NODE_HEADING:
			heading_slug(w, n);
			break;
		default:
			if (cmark_node_get_type(n) == CMARK_NODE_TABLE)
				table_label(w, n);
			break;
		}
	}
	cmark_iter_free(it);
	/* Raw HTML first: the nodes added below are raw HTML too. */
	for (guint i = 0; i < raw->len; i++)
		show_raw(raw->pdata[i]);
	for (guint i = 0; i < tasks->len; i++)
		label_task(w, tasks->pdata[i]);
	/* Links inside out (a link holds no link, but an image may be in one). */
	for (guint i = links->len; i-- > 0;)
		map_link(w, links->pdata[i]);
	move_images(w, images);
	if (w->failed)
		return false;
	drop_blank_paragraphs(paras);
	return true;
}

/* ---- after rendering ----------------------------------------------------- */

/* cmark-gfm writes tables as "<table>", header cells as "<th>" or "<th
 * align=...>" and headings as "<h2>"; raw HTML in the Markdown is text by
 * now and the figures hold none of them, so each is cmark-gfm's, in
 * document order.  A table goes into a frame that scrolls sideways on a
 * narrow screen (focusable and named by its header cells, so a keyboard
 * can scroll it and a screen reader says what it is), header cells get
 * scope="col" and headings their ids. */
static char *
tag_attributes(const char *html, const walk_ctx *w)
{
	GString *s = g_string_new(NULL);
	guint h = 0, t = 0;
	for (const char *p = html; *p;) {
		const char *lt = strchr(p, '<');
		if (!lt) {
			g_string_append(s, p);
			break;
		}
		g_string_append_len(s, p, lt - p);
		p = lt;
		if (!strncmp(p, "<table>", 7) && t < w->tables->len) {
			g_string_append(s, "<div class=\"table\" role=\"region\" tabindex=\"0\" aria-label=\"");
			html_escape(s, w->tables->pdata[t++]);
			g_string_append(s, "\">\n<table>");
			p += 7;
		} else if (!strncmp(p, "</table>", 8)) {
			g_string_append(s, "</table>\n</div>");
			p += 8;
		} else if (!strncmp(p, "<th", 3) && (p[3] == '>' || p[3] == ' ')) {
			g_string_append(s, "<th scope=\"col\"");
			p += 3;
		} else if (p[1] == 'h' && p[2] >= '1' && p[2] <= '6' && p[3] == '>' && h < w->slugs->len) {
			g_string_append_len(s, p, 3);
			g_string_append(s, " id=\"");
			html_escape(s, w->slugs->pdata[h++]);
			g_string_append_c(s, '"');
			p += 3;
		} else {
			g_string_append_c(s, '<');
			p++;
		}
	}
	return g_string_free(s, FALSE);
}

char *
html_body(const html_source *src, const char *md)
{
	cmark_node *root = typeset_parse_markdown(md, strlen(md));
	walk_ctx w = {
		.src = src, .slugs = g_ptr_array_new(), .tables = g_ptr_array_new_with_free_func(g_free),
		.used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	bool ok = walk(&w, root);
	char *html = ok ? cmark_render_html(root, CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES, NULL) : NULL;
	cmark_node_free(root);
	char *done = html ? tag_attributes(html, &w) : NULL;
	free(html);
	g_ptr_array_unref(w.slugs);
	g_ptr_array_unref(w.tables);
	g_hash_table_unref(w.used);
	return done;
}

/* ---- the page ------------------------------------------------------------ */

static void
append_nav(GString *s, const html_page *pg)
{
	if (!pg->n_nav)
		return;
	g_string_append(s, "<nav class=\"documents\" aria-label=\"Documents\">\n");
	const char *group = NULL;
	bool open = false;
	for (guint i = 0; i < pg->n_nav; i++) {
		const html_nav *n = &pg->nav[i];
		if (!open || g_strcmp0(n->group, group)) {
			if (open)
				g_string_append(s, "</ul>\n");
			if (n->group) {
				g_string_append(s, "<h2>");
				html_escape(s, n->group);
				g_string_append(s, "</h2>\n");
			}
			g_string_append(s, "<ul>\n");
			group = n->group;
			open = true;
		}
		g_string_append(s, "<li><a href=\"");
		html_escape(s, n->href);
		g_string_append_printf(s, "\"%s>", n->current ? " aria-current=\"page\"" : "");
		html_escape(s, n->title);
		g_string_append(s, "</a></li>\n");
	}
	g_string_append(s, "</ul>\n</nav>\n");
}

/* Links to the documents before and after this one. */
static void
append_pager(GString *s, const html_page *pg)
{
	guint cur = pg->n_nav;
	for (guint i = 0; i < pg->n_nav; i++)
		if (pg->nav[i].current)
			cur = i;
	if (cur == pg->n_nav || pg->n_nav < 2)
		return;
	g_string_append(s, "<nav class=\"pager\" aria-label=\"Previous and next document\">\n");
	if (cur > 0) {
		g_string_append(s, "<a rel=\"prev\" href=\"");
		html_escape(s, pg->nav[cur - 1].href);
		g_string_append(s, "\"><span>Previous</span> ");
		html_escape(s, pg->nav[cur - 1].title);
		g_string_append(s, "</a>\n");
	}
	if (cur + 1 < pg->n_nav) {
		g_string_append(s, "<a rel=\"next\" href=\"");
		html_escape(s, pg->nav[cur + 1].href);
		g_string_append(s, "\"><span>Next</span> ");
		html_escape(s, pg->nav[cur + 1].title);
		g_string_append(s, "</a>\n");
	}
	g_string_append(s, "</nav>\n");
}

static void
append_head(GString *s, const html_page *pg)
{
	g_string_append(s, "<!DOCTYPE html>\n<html lang=\"");
	html_escape(s, pg->lang ? pg->lang : "en");
	g_string_append(s, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>");
	html_escape(s, pg->title ? pg->title : "");
	if (pg->site && g_strcmp0(pg->site, pg->title)) {
		g_string_append(s, " · ");
		html_escape(s, pg->site);
	}
	g_string_append(s, "</title>\n");
	if (pg->css) {
		g_string_append(s, "<style>\n");
		g_string_append(s, pg->css);
		g_string_append(s, "</style>\n");
	} else if (pg->css_href) {
		g_string_append(s, "<link rel=\"stylesheet\" href=\"");
		html_escape(s, pg->css_href);
		g_string_append(s, "\">\n");
	}
	if (pg->script)
		g_string_append_printf(s, "<script>\n%s</script>\n", pg->script);
	g_string_append(s, "</head>\n");
}

char *
html_page_render(const html_page *pg, const char *body)
{
	GString *s = g_string_new(NULL);
	append_head(s, pg);
	g_string_append(s, "<body>\n<a class=\"skip\" href=\"#main\">Skip to the document</a>\n"
		       "<header class=\"site\">\n");
	if (pg->site) {
		g_string_append(s, pg->home ? "<a class=\"home\" href=\"" : "<span class=\"home\">");
		if (pg->home) {
			html_escape(s, pg->home);
			g_string_append(s, "\">");
		}
		html_escape(s, pg->site);
		g_string_append(s, pg->home ? "</a>\n" : "</span>\n");
	}
	if (pg->pdf_href) {
		g_string_append(s, "<a class=\"pdf\" href=\"");
		html_escape(s, pg->pdf_href);
		g_string_append(s, "\">PDF</a>\n");
	}
	g_string_append(s, "</header>\n");
	if (pg->mark) {
		g_string_append(s, "<p class=\"mark\" role=\"note\">");
		html_escape(s, pg->mark);
		g_string_append(s, "</p>\n");
	}
	g_string_append(s, "<div class=\"frame\">\n");
	append_nav(s, pg);
	g_string_append(s, "<main id=\"main\">\n<article>\n");
	g_string_append(s, body);
	g_string_append(s, "</article>\n");
	append_pager(s, pg);
	g_string_append(s, "</main>\n</div>\n");
	if (pg->footer) {
		g_string_append(s, "<footer class=\"site\"><p>");
		html_escape(s, pg->footer);
		g_string_append(s, "</p></footer>\n");
	}
	g_string_append(s, "</body>\n</html>\n");
	return g_string_free(s, FALSE);
}
