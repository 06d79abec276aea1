/* write/manifest.c - manifest.xml and SHA256SUMS for the package (package stage;
 * see manifest.h).  Hashing is base/file.h's file_sha256() (GLib's GChecksum; a
 * file this build hashed already is not read again), XML libxml2's: the text
 * writer for output, the tree parser (no network, no entities) for input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "write/manifest.h"
#include "write/write.h"

static void
entry_free(gpointer p)
{
	manifest_entry *e = p;
	g_free(e->path);
	g_free(e->media_type);
	g_free(e);
}

manifest *
manifest_new(const char *package, const char *company, const char *date)
{
	manifest *m = g_new0(manifest, 1);
	m->package = g_strdup(package ? package : "");
	m->company = g_strdup(company ? company : "");
	m->date = g_strdup(date ? date : "");
	m->files = g_ptr_array_new_with_free_func(entry_free);
	return m;
}

void
manifest_free(manifest *m)
{
	if (!m)
		return;
	g_free(m->package);
	g_free(m->company);
	g_free(m->date);
	g_ptr_array_unref(m->files);
	g_free(m);
}

/* ---------------------------------------------------------------- names */

static const struct {
	const char *ext;
	const char *type;
} media_types[] = {
	{ ".md", "text/markdown" },
	{ ".pdf", "application/pdf" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ ".csv", "text/csv" },
	{ ".txt", "text/plain" },
	{ ".html", "text/html" },
	{ ".json", "application/json" },
	{ ".xml", "application/xml" },
	{ ".yaml", "application/yaml" },
	{ ".zip", "application/zip" },
};

const char *
manifest_media_type(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base : path, '.');
	if (dot)
		for (size_t i = 0; i < G_N_ELEMENTS(media_types); i++)
			if (!g_ascii_strcasecmp(dot, media_types[i].ext))
				return media_types[i].type;
	return "application/octet-stream";
}

static const char *const origin_names[] = {
	[MANIFEST_TEMPLATE] = "template",
	[MANIFEST_ATTACHMENT] = "attachment",
	[MANIFEST_GENERATED] = "generated",
};

const char *
manifest_origin_name(manifest_origin origin)
{
	return origin_names[origin];
}

/* ------------------------------------------------------------- scanning */

/* Through base/file.h: a PDF this build made (and hashed then) is not
 * read again. */
static bool
hash_file(const char *file, manifest_entry *e)
{
	g_autofree char *why = NULL;
	guint64 size = 0;
	g_autofree char *sha = file_sha256(file, &size, &why);
	if (!sha) {
		diag(DIAG_ERROR, file, 0, 0, "%s", why);
		return false;
	}
	e->size = size;
	g_strlcpy(e->sha256, sha, sizeof e->sha256);
	return true;
}

static int
entry_cmp(gconstpointer a, gconstpointer b)
{
	const manifest_entry *x = *(manifest_entry *const *)a, *y = *(manifest_entry *const *)b;
	return strcmp(x->path, y->path);
}

bool
manifest_scan(manifest *m, const char *dir)
{
	g_autoptr(GPtrArray) paths = fileop_files(dir);
	if (!paths)
		return false;
	for (guint i = 0; i < paths->len; i++) {
		const char *path = paths->pdata[i];
		if (!strcmp(path, MANIFEST_XML) || !strcmp(path, MANIFEST_SUMS))
			continue;	/* they do not list themselves */
		manifest_entry *e = g_new0(manifest_entry, 1);
		e->path = g_strdup(path);
		e->media_type = g_strdup(manifest_media_type(path));
		e->origin = MANIFEST_GENERATED;
		g_ptr_array_add(m->files, e);
		g_autofree char *full = g_build_filename(dir, path, NULL);
		if (!hash_file(full, e))
			return false;
	}
	return true;
}

void
manifest_set_origin(manifest *m, const char *path, manifest_origin origin)
{
	for (guint i = 0; i < m->files->len; i++) {
		manifest_entry *e = m->files->pdata[i];
		if (!strcmp(e->path, path))
			e->origin = origin;
	}
}

/* -------------------------------------------------------------- writing */

char *
manifest_sums_text(const manifest *m)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < m->files->len; i++) {
		const manifest_entry *e = m->files->pdata[i];
		/* sha256sum escapes a name holding '\\' or '\n' and marks the line. */
		if (strpbrk(e->path, "\\\n")) {
			g_string_append_printf(s, "\\%s  ", e->sha256);
			for (const char *p = e->path; *p; p++) {
				if (*p == '\\')
					g_string_append(s, "\\\\");
				else if (*p == '\n')
					g_string_append(s, "\\n");
				else
					g_string_append_c(s, *p);
			}
			g_string_append_c(s, '\n');
		} else {
			g_string_append_printf(s, "%s  %s\n", e->sha256, e->path);
		}
	}
	return g_string_free(s, FALSE);
}

static char *
manifest_xml_text(const manifest *m)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "manifest", BAD_CAST MANIFEST_NS);
	xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1");
	xmlTextWriterWriteAttribute(w, BAD_CAST "status", BAD_CAST (m->draft ? "draft" : "final"));
	xmlTextWriterWriteElement(w, BAD_CAST "package", BAD_CAST m->package);
	xmlTextWriterWriteElement(w, BAD_CAST "company", BAD_CAST m->company);
	xmlTextWriterWriteElement(w, BAD_CAST "generated", BAD_CAST m->date);
	xmlTextWriterStartElement(w, BAD_CAST "files");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%u", m->files->len);
	for (guint i = 0; i < m->files->len; i++) {
		const manifest_entry *e = m->files->pdata[i];
		xmlTextWriterStartElement(w, BAD_CAST "file");
		xmlTextWriterWriteAttribute(w, BAD_CAST "path", BAD_CAST e->path);
		xmlTextWriterWriteAttribute(w, BAD_CAST "media-type", BAD_CAST e->media_type);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%" G_GUINT64_FORMAT, e->size);
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST e->sha256);
		xmlTextWriterWriteAttribute(w, BAD_CAST "origin", BAD_CAST manifest_origin_name(e->origin));
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndDocument(w);	/* closes every open element */
	xmlFreeTextWriter(w);
	char *text = g_strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return text;
}

bool
manifest_save(const manifest *m, const char *dir)
{
	g_autofree char *xml = manifest_xml_text(m);
	g_autofree char *sums = manifest_sums_text(m);
	g_autofree char *xml_path = g_build_filename(dir, MANIFEST_XML, NULL);
	g_autofree char *sums_path = g_build_filename(dir, MANIFEST_SUMS, NULL);
	return fileop_write(xml_path, xml, strlen(xml)) && fileop_write(sums_path, sums, strlen(sums));
}

/* The output: manifest.xml and SHA256SUMS over whatever the package folder
 * holds now (it runs after every other file of the package).  A document's
 * Markdown and PDF come from templates; a supplied copy is an attachment;
 * anything else (dossier.pdf, charts, spreadsheet) is generated. */
bool
manifest_write(const WriteCtx *ctx)
{
	package_rendered *pl = ctx->pl;
	const val *name = val_path(pl->root, "company.name");
	const val *date = val_path(pl->root, "build.date");
	g_autoptr(manifest) m = manifest_new(ctx->pkg_name, name ? name->str : NULL,
					     date ? date->str : NULL);
	if (!manifest_scan(m, ctx->pkg))
		return false;
	m->draft = !val_truthy(val_path(pl->root, "readiness.final_ready"));
	for (guint i = 0; i < pl->docs->len; i++) {
		package_doc *d = pl->docs->pdata[i];
		if (d->supplied) {
			manifest_set_origin(m, d->pdf_path, MANIFEST_ATTACHMENT);
		} else {
			manifest_set_origin(m, d->path, MANIFEST_TEMPLATE);
			manifest_set_origin(m, d->pdf_path, MANIFEST_TEMPLATE);
		}
		for (guint k = 0; k < d->images->len; k++)	/* copied from content/ */
			manifest_set_origin(m, ((package_image *)d->images->pdata[k])->path, MANIFEST_ATTACHMENT);
	}
	return manifest_save(m, ctx->pkg);
}

/* -------------------------------------------------------------- reading */

/* A path verify may open: relative, no "." or ".." step, no empty step. */
static bool
safe_path(const char *p)
{
	if (!*p || *p == '/')
		return false;
	g_auto(GStrv) steps = g_strsplit(p, "/", -1);
	for (char **s = steps; *s; s++)
		if (!**s || !strcmp(*s, ".") || !strcmp(*s, ".."))
			return false;
	return true;
}

static bool
is_sha256(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!g_ascii_isxdigit(*s) || g_ascii_isupper(*s))
			return false;
	return true;
}

static char *
child_text(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name)) {
			xmlChar *t = xmlNodeGetContent(c);
			char *s = g_strdup((const char *)t);
			xmlFree(t);
			return s;
		}
	return NULL;
}

static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? g_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static manifest *
read_tree(xmlDocPtr doc, const char *file)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "manifest") || !root->ns ||
	    strcmp((const char *)root->ns->href, MANIFEST_NS)) {
		diag(DIAG_ERROR, file, 0, 0, "not a dossier manifest (no <manifest xmlns=\"%s\">)", MANIFEST_NS);
		return NULL;
	}
	g_autofree char *package = child_text(root, "package");
	g_autofree char *company = child_text(root, "company");
	g_autofree char *date = child_text(root, "generated");
	g_autoptr(manifest) m = manifest_new(package, company, date);
	g_autofree char *status = attr(root, "status");
	m->draft = status && !strcmp(status, "draft");
	for (xmlNodePtr files = root->children; files; files = files->next) {
		if (files->type != XML_ELEMENT_NODE || strcmp((const char *)files->name, "files"))
			continue;
		for (xmlNodePtr n = files->children; n; n = n->next) {
			if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "file"))
				continue;
			g_autofree char *path = attr(n, "path");
			g_autofree char *size = attr(n, "size");
			g_autofree char *sha = attr(n, "sha256");
			g_autofree char *type = attr(n, "media-type");
			g_autofree char *origin = attr(n, "origin");
			guint64 sz;
			if (!path || !safe_path(path) || !size ||
			    !g_ascii_string_to_unsigned(size, 10, 0, G_MAXUINT64, &sz, NULL) ||
			    !sha || !is_sha256(sha)) {
				diag(DIAG_ERROR, file, (int)xmlGetLineNo(n), 0,
				     "a <file> needs a relative path, a size and a SHA-256");
				return NULL;
			}
			manifest_entry *e = g_new0(manifest_entry, 1);
			e->path = g_steal_pointer(&path);
			e->media_type = type ? g_steal_pointer(&type) : g_strdup(manifest_media_type(e->path));
			e->size = sz;
			memcpy(e->sha256, sha, 65);
			e->origin = MANIFEST_GENERATED;
			for (int o = 0; origin && o < (int)G_N_ELEMENTS(origin_names); o++)
				if (!strcmp(origin, origin_names[o]))
					e->origin = o;
			g_ptr_array_add(m->files, e);
		}
	}
	g_ptr_array_sort(m->files, entry_cmp);
	return g_steal_pointer(&m);
}

manifest *
manifest_read(const char *file)
{
	g_autofree char *data = NULL, *why = NULL;
	gsize len;
	if (!g_file_test(file, G_FILE_TEST_EXISTS)) {
		diag(DIAG_ERROR, file, 0, 0, "no manifest: not a package built by dossier");
		return NULL;
	}
	if (!file_read(file, FILE_MAX_CONTENT, &data, &len, &why)) {
		if (g_str_has_prefix(why, "cannot read: "))
			diag(DIAG_ERROR, file, 0, 0, "cannot read the manifest: %s", why + strlen("cannot read: "));
		else
			diag(DIAG_ERROR, file, 0, 0, "%s", why);
		return NULL;
	}
	xmlDocPtr doc = xmlReadMemory(data, (int)MIN(len, (gsize)G_MAXINT), file, NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		xmlErrorPtr x = xmlGetLastError();
		g_autofree char *msg = g_strdup(x && x->message ? x->message : "parse error");
		diag(DIAG_ERROR, file, x ? x->line : 0, 0, "not well-formed XML: %s", g_strstrip(msg));
		return NULL;
	}
	manifest *m = read_tree(doc, file);
	xmlFreeDoc(doc);
	return m;
}

/* ------------------------------------------------------------ comparing */

GPtrArray *
manifest_compare(const manifest *want, const manifest *have)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	guint i = 0, j = 0;
	while (i < want->files->len || j < have->files->len) {
		const manifest_entry *w = i < want->files->len ? want->files->pdata[i] : NULL;
		const manifest_entry *h = j < have->files->len ? have->files->pdata[j] : NULL;
		int c = !w ? 1 : !h ? -1 : strcmp(w->path, h->path);
		if (c < 0) {
			g_ptr_array_add(out, g_strdup_printf("missing: %s", w->path));
			i++;
		} else if (c > 0) {
			g_ptr_array_add(out, g_strdup_printf("extra: %s", h->path));
			j++;
		} else {
			if (w->size != h->size || strcmp(w->sha256, h->sha256))
				g_ptr_array_add(out, g_strdup_printf("modified: %s", w->path));
			i++, j++;
		}
	}
	return out;
}
