/* pipeline/pipeline.c - load → derive → render in memory (see pipeline.h). */
#include "load/content.h"
#include "derive/consist.h"
#include "derive/derive.h"
#include "derive/cost.h"
#include "derive/programme.h"
#include "load/aiscope.h"
#include "load/programme.h"
#include "load/verification.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/searchpath.h"
#include "pipeline/pipeline.h"
#include "render/appreview.h"
#include "typeset/lazylib.h"
#include "typeset/typeset.h"
#include "write/write.h"		/* WRITE_DRAFT_MARK */

#define VERIFICATION_MAX_PAGES	50	/* pages read for the legal name */

/* The text of a business verification document that is a PDF (at most
 * VERIFICATION_MAX_PAGES pages), for load/verification.c to find the legal
 * name in, or NULL when it cannot be read (no poppler, damaged,
 * encrypted); *why then says why.  Here, because the loader uses no stage
 * above it and poppler is the typesetter's (typeset/lazylib.h). */
static char *
verification_pdf_text_read(const char *data, size_t len, const char **why)
{
	const lazy_poppler *pop = lazy_poppler_get(why);
	if (!pop)
		return NULL;
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	g_autoptr(GError) err = NULL;
	PopplerDocument *doc = pop->document_new_from_bytes(bytes, NULL, &err);
	if (!doc) {
		*why = "poppler cannot open it (damaged, or protected by a password)";
		return NULL;
	}
	GString *text = g_string_new(NULL);
	int pages = MIN(pop->document_get_n_pages(doc), VERIFICATION_MAX_PAGES);
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = pop->document_get_page(doc, i);
		g_autofree char *t = page ? pop->page_get_text(page) : NULL;
		if (t)
			g_string_append_printf(text, "%s\n", t);
		if (page)
			g_object_unref(page);
	}
	g_object_unref(doc);
	return g_string_free(text, FALSE);
}

/* The one symbolic-link policy (base/file.h): nothing is read from the
 * content and templates folders that lies outside them. */
void
pipeline_confine(const char *content_dir, const char *templates_dir)
{
	file_confine(content_dir, "content");
	g_auto(GStrv) dirs = searchpath_dirs(templates_dir);
	for (guint i = 0; dirs[i]; i++)
		file_confine(dirs[i], "templates");
}

/* --final: a supplied document that dossier made itself (a stand-in
 * copied into content/attachments/, a draft printed to PDF) is no
 * original: its readiness item is a stand-in. */
static void
check_originals(val *root, const char *attachments_dir)
{
	val *items = val_get(val_get(root, "readiness"), "items");
	for (guint i = 0; i < val_len(items); i++) {
		val *it = val_index(items, i);
		const val *file = val_get(it, "attachment");
		if (!file || file->kind != VAL_STRING)
			continue;
		g_autofree char *path = g_build_filename(attachments_dir, file->str, NULL);
		g_autofree char *why = typeset_pdf_not_original(path, WRITE_DRAFT_MARK);
		if (!why)
			continue;
		val_set_bool(it, "standin", true);
		g_autofree char *detail = g_strdup_printf("content/attachments/%s %s, not an original: "
							  "supply the document itself", file->str, why);
		val_set_string(it, "detail", detail);
	}
}

package_rendered *
pipeline_run_opts(const char *content_dir, const char *templates_dir, const pipeline_opts *opts)
{
	g_autofree char *attachments = g_build_filename(content_dir, "attachments", NULL);
	package_rendered *pl = g_new0(package_rendered, 1);
	pl->content_dir = g_strdup(content_dir);
	pl->templates_dir = g_strdup(templates_dir);
	pipeline_confine(content_dir, templates_dir);

	pl->pkg = package_load(templates_dir, write_reserved_paths);
	if (!pl->pkg)
		goto fail;
	pl->programme = programme_load(templates_dir);
	pl->root = content_load(content_dir, templates_dir);
	if (!pl->root || !pl->programme)
		goto fail;
	cost_currency(pl->root);	/* before anything writes an amount */
	if (!aiscope_check(pl->root, content_dir, templates_dir))
		goto fail;
	verification_check(pl->root, content_dir, pl->programme, verification_pdf_text_read);
	if (consist_check(pl->root, opts->strict) && opts->strict)
		goto fail;
	if (!derive_all(pl->root, package_desc(pl->pkg), attachments))
		goto fail;
	if (!derive_programme(pl->root, pl->programme))
		goto fail;
	if (opts->final) {
		check_originals(pl->root, attachments);
		derive_readiness_final(pl->root);
	}
	pl->docs = package_render(pl->pkg, pl->root, content_dir);
	if (!pl->docs)
		goto fail;
	pl->public_docs = package_render_public(pl->pkg, pl->root);
	if (!pl->public_docs)
		goto fail;
	pl->readiness_md = package_render_one(pl->pkg, "readiness.mustache", pl->root);
	if (!pl->readiness_md)
		goto fail;
	pl->app_review = appreview_render(pl->pkg, pl->root, templates_dir);
	if (!pl->app_review)
		goto fail;
	return pl;
fail:
	pipeline_free(pl);
	return NULL;
}

void
pipeline_free(package_rendered *pl)
{
	if (!pl)
		return;
	g_free(pl->content_dir);
	g_free(pl->templates_dir);
	val_free(pl->root);
	val_free(pl->programme);
	package_free(pl->pkg);
	if (pl->docs)
		g_ptr_array_unref(pl->docs);
	if (pl->public_docs)
		g_ptr_array_unref(pl->public_docs);
	g_free(pl->readiness_md);
	if (pl->app_review)
		g_ptr_array_unref(pl->app_review);
	g_free(pl);
}
