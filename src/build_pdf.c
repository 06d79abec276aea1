/* build_pdf.c - every document of the package typeset to PDF (typeset
 * stage; see build_pdf.h).  Jobs go to a GThreadPool, one per document,
 * the combined dossier.pdf first since it is the longest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_pdf.h"
#include "diag.h"
#include "typeset.h"

typedef struct {
	const typeset_theme *theme;
	typeset_meta meta;		/* shared fields; title set per job */
	const char *stage;
	GPtrArray *docs;
	typeset_part *parts;
	size_t n_parts;
	gint pages;			/* atomic */
	gint failed;			/* atomic */
} pdf_run;

#define DOSSIER_JOB ((gpointer)(gsize)G_MAXUINT)

static void
pdf_job(gpointer data, gpointer user)
{
	pdf_run *run = user;
	int pages;
	if (data == DOSSIER_JOB) {
		g_autofree char *out = g_build_filename(run->stage, "dossier.pdf", NULL);
		typeset_meta meta = run->meta;
		meta.title = "Meta Business Solution Provider Application";
		pages = typeset_dossier(run->theme, &meta, run->parts, run->n_parts, out);
	} else {
		package_doc *d = run->docs->pdata[GPOINTER_TO_UINT(data) - 1];
		g_autofree char *out = g_build_filename(run->stage, d->pdf_path, NULL);
		g_autofree char *md_file = g_build_filename(run->stage, d->path, NULL);
		typeset_meta meta = run->meta;
		meta.title = d->title;
		pages = typeset_markdown(run->theme, &meta, d->markdown, strlen(d->markdown),
					 md_file, out);
	}
	if (pages < 0)
		g_atomic_int_set(&run->failed, 1);
	else
		g_atomic_int_add(&run->pages, pages);
}

static gint64
pdf_date(const val *root)
{
	const char *sde = g_getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		gint64 t = g_ascii_strtoll(sde, &end, 10);
		if (!*end)
			return t;
	}
	const val *d = val_path(root, "build.date");
	g_autoptr(GDateTime) dt = NULL;
	int y, m, day;
	if (d && sscanf(d->str, "%d-%d-%d", &y, &m, &day) == 3)
		dt = g_date_time_new_utc(y, m, day, 12, 0, 0);
	return dt ? g_date_time_to_unix(dt) : 0;
}

int
build_pdfs(pipeline *pl, const char *stage_dir)
{
	g_autofree char *theme_path = g_build_filename(pl->templates_dir, "theme.yaml", NULL);
	typeset_theme *theme = typeset_theme_load(
		g_file_test(theme_path, G_FILE_TEST_EXISTS) ? theme_path : NULL);
	if (!theme)
		return -1;

	const val *company = val_get(pl->root, "company");
	pdf_run run = {
		.theme = theme,
		.meta = {
			.author = val_get(company, "legal_name") ? val_get(company, "legal_name")->str
								 : val_get(company, "name")->str,
			.subject = "Meta WhatsApp Business Solution Provider application",
			.footer = val_get(company, "name")->str,
			.date = pdf_date(pl->root),
		},
		.stage = stage_dir,
		.docs = pl->docs,
	};
	run.parts = g_new0(typeset_part, pl->docs->len);
	g_autoptr(GPtrArray) md_files = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < pl->docs->len; i++) {
		package_doc *d = pl->docs->pdata[i];
		typeset_part *p = &run.parts[run.n_parts++];
		p->folder = d->folder;
		p->title = d->title;
		if (d->supplied) {
			p->attachment = d->pdf_path;
		} else {
			p->md = d->markdown;
			p->len = strlen(d->markdown);
			p->md_file = g_build_filename(stage_dir, d->path, NULL);
			g_ptr_array_add(md_files, (char *)p->md_file);
		}
	}

	GThreadPool *pool = g_thread_pool_new(pdf_job, &run, (gint)g_get_num_processors(), TRUE, NULL);
	g_thread_pool_push(pool, DOSSIER_JOB, NULL);
	for (guint i = 0; i < pl->docs->len; i++)
		if (!((package_doc *)pl->docs->pdata[i])->supplied)
			g_thread_pool_push(pool, GUINT_TO_POINTER(i + 1), NULL);
	g_thread_pool_free(pool, FALSE, TRUE);	/* waits for every job */

	g_free(run.parts);
	typeset_theme_free(theme);
	return run.failed ? -1 : run.pages;
}
