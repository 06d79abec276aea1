/* test_reuse.c - a document laid out once (typeset_doc_new) serves its own
 * PDF and its part of the combined dossier: both come out byte for byte as
 * when each is laid out from the Markdown again, also when several threads
 * draw the same laid-out documents at once (what `dossier build` does,
 * write/pdf.c).
 *
 * The documents hold what the dossier changes in a part: destinations get
 * the part's prefix ("d2-..."), links to headings follow them, outline
 * levels move under the part's bookmark, an h1 repeating the part's title
 * leaves the outline, the part's own destinations sit on its first item
 * (indented when the document starts with a list), a picture shown by two
 * parts is one image in the dossier, tables repeat their header across a
 * page break and split a long row, code grounds and quote bars are frames
 * cut by the break, footnotes (and their names) go with their part.
 */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <poppler.h>

#include "typeset/typeset.h"

static typeset_theme *theme;
static char *dir;

static void
setup(void)
{
	theme = typeset_theme_load(NULL);
	dir = g_dir_make_tmp("dossier-reuse-XXXXXX", NULL);
	ck_assert_ptr_nonnull(dir);
	/* A picture two parts show. */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 20);
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0.2, 0.4, 0.8);
	cairo_paint(cr);
	cairo_destroy(cr);
	g_autofree char *png = g_build_filename(dir, "pic.png", NULL);
	ck_assert_int_eq(cairo_surface_write_to_png(s, png), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void
teardown(void)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);
		unlink(p);
	}
	rmdir(dir);
	g_free(dir);
	typeset_theme_free(theme);
}

#define N_DOCS 5

static const char *const titles[N_DOCS] = {
	"Overview", "Architecture", "Lists first", NULL, "Empty",
};
static const char *const folders[N_DOCS] = {
	"company", "technical", "technical", NULL, "legal",
};

/* The Markdown of document k. */
static char *
doc_text(int k)
{
	GString *s = g_string_new(NULL);
	switch (k) {
	case 0:
		g_string_append(s, "# Overview\n\nSee [the plan](#plan) and [nowhere](#no-such-heading).\n\n"
			"## Plan\n\nFirst.\n\n## Plan\n\nThe same heading again.\n\n"
			"![A picture](pic.png)\n\n> A quote that is long enough to wrap over a "
			"line or two of the column, said by someone important.\n\n");
		for (int i = 0; i < 40; i++)
			g_string_append_printf(s, "Paragraph %d of filler text, to reach the next page "
					       "with the code below cut by the break.\n\n", i);
		g_string_append(s, "```\n");
		for (int i = 0; i < 30; i++)
			g_string_append_printf(s, "line %d of code\n", i);
		g_string_append(s, "```\n");
		break;
	case 1:
		g_string_append(s, "# Architecture\n\n# A second h1\n\n### Deep\n\n![Again](pic.png)\n\n"
			"| name | value |\n|---|---|\n");
		for (int i = 0; i < 90; i++)
			g_string_append_printf(s, "| row %d | %d |\n", i, i * i);
		g_string_append(s, "\n[back up](#architecture), with a note[^n] and another[^m].\n\n"
			"| one row | that splits |\n|---|---|\n| first | short |\n| second | ");
		for (int i = 0; i < 60; i++)
			g_string_append_printf(s, "line %d of a long cell<br>", i);
		g_string_append(s, " |\n\n[^n]: The note, at the foot of its page.\n\n"
			"[^m]: A second one, citing [the deep part](#deep).\n");
		break;
	case 2:
		g_string_append(s, "- a list first\n  - nested\n- [x] done\n\n# Lists first\n\nText.\n");
		break;
	case 3:
		g_string_append(s, "Untitled text, no heading at all, with a [link](https://example.com/).\n");
		break;
	default:
		break;	/* an empty document */
	}
	return g_string_free(s, FALSE);
}

typedef struct {
	char *md[N_DOCS];
	char *md_file[N_DOCS];
	typeset_doc *laid[N_DOCS];
	typeset_part parts[N_DOCS + 1];
	typeset_meta meta;
} corpus;

static void
corpus_init(corpus *c)
{
	c->meta = (typeset_meta){ .author = "Acme S.A.", .footer = "Acme", .date = 1790812800,
				  .flags = TYPESET_DRAFT, .title = "Application", .mark = "DRAFT" };
	for (int k = 0; k < N_DOCS; k++) {
		c->md[k] = doc_text(k);
		c->md_file[k] = g_strdup_printf("%s/doc%d.md", dir, k);
		typeset_meta m = c->meta;
		m.title = titles[k];
		c->laid[k] = typeset_doc_new(theme, &m, c->md[k], strlen(c->md[k]), c->md_file[k]);
		ck_assert_ptr_nonnull(c->laid[k]);
		c->parts[k] = (typeset_part){ .folder = folders[k], .title = titles[k], .md = c->md[k],
					      .len = strlen(c->md[k]), .md_file = c->md_file[k] };
	}
	/* A supplied file, only listed. */
	c->parts[N_DOCS] = (typeset_part){ .folder = "legal", .title = "Certificate",
					   .attachment = "certificate.pdf" };
}

static void
corpus_use_laid(corpus *c, gboolean on)
{
	for (int k = 0; k < N_DOCS; k++)
		c->parts[k].doc = on ? c->laid[k] : NULL;
}

static void
corpus_clear(corpus *c)
{
	for (int k = 0; k < N_DOCS; k++) {
		typeset_doc_free(c->laid[k]);
		g_free(c->md[k]);
		g_free(c->md_file[k]);
	}
}

static void
assert_same_pdf(GBytes *a, GBytes *b, const char *what)
{
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(g_bytes_equal(a, b), "%s: the PDFs differ (%zu and %zu bytes)", what,
		      g_bytes_get_size(a), g_bytes_get_size(b));
}

/* The dossier from laid-out parts is the dossier laid out from Markdown. */
START_TEST(dossier_from_laid_out_parts_is_the_same)
{
	corpus c;
	corpus_init(&c);
	g_autoptr(GBytes) fresh = NULL, reused = NULL, again = NULL;
	corpus_use_laid(&c, FALSE);
	int pages = typeset_dossier(theme, &c.meta, c.parts, N_DOCS + 1, "fresh.pdf", &fresh);
	ck_assert_int_gt(pages, 5);
	corpus_use_laid(&c, TRUE);
	ck_assert_int_eq(typeset_dossier(theme, &c.meta, c.parts, N_DOCS + 1, "reused.pdf", &reused),
			 pages);
	assert_same_pdf(fresh, reused, "laid out again");
	/* A second dossier from the same laid-out parts: they are only read. */
	ck_assert_int_eq(typeset_dossier(theme, &c.meta, c.parts, N_DOCS + 1, "again.pdf", &again),
			 pages);
	assert_same_pdf(fresh, again, "drawn twice");
	corpus_clear(&c);
}
END_TEST

/* Each document's own PDF from its layout is typeset_markdown's. */
START_TEST(own_pdf_from_layout_is_the_same)
{
	corpus c;
	corpus_init(&c);
	for (int k = 0; k < N_DOCS; k++) {
		g_autoptr(GBytes) fresh = NULL, reused = NULL;
		typeset_meta m = c.meta;
		m.title = titles[k];
		int pages = typeset_markdown(theme, &m, c.md[k], strlen(c.md[k]), c.md_file[k],
					     "fresh.pdf", &fresh);
		ck_assert_int_ge(pages, 1);
		ck_assert_int_eq(typeset_doc_render(c.laid[k], &m, "reused.pdf", &reused), pages);
		assert_same_pdf(fresh, reused, titles[k]);
	}
	corpus_clear(&c);
}
END_TEST

/* The dossier draws the layout it is given, not the Markdown beside it. */
START_TEST(dossier_draws_the_given_layout)
{
	corpus c;
	corpus_init(&c);
	const char *other = "# Overview\n\nQuetzalcoatl was laid out, not parsed again.\n";
	typeset_meta m = c.meta;
	m.title = titles[0];
	typeset_doc *d = typeset_doc_new(theme, &m, other, strlen(other), c.md_file[0]);
	corpus_use_laid(&c, TRUE);
	c.parts[0].doc = d;
	g_autoptr(GBytes) bytes = NULL;
	ck_assert_int_gt(typeset_dossier(theme, &c.meta, c.parts, N_DOCS + 1, "given.pdf", &bytes), 2);
	PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, NULL);
	ck_assert_ptr_nonnull(pdf);
	GString *text = g_string_new(NULL);
	for (int p = 0; p < poppler_document_get_n_pages(pdf); p++) {
		PopplerPage *pg = poppler_document_get_page(pdf, p);
		g_autofree char *t = poppler_page_get_text(pg);
		g_string_append(text, t);
		g_object_unref(pg);
	}
	ck_assert_ptr_nonnull(strstr(text->str, "Quetzalcoatl"));
	ck_assert_ptr_null(strstr(text->str, "Paragraph 7 of filler"));
	g_string_free(text, TRUE);
	g_object_unref(pdf);
	typeset_doc_free(d);
	corpus_clear(&c);
}
END_TEST

#define N_THREADS 4
#define ROUNDS 3

typedef struct {
	corpus *c;
	int k;			/* a document, or N_DOCS: the dossier */
	GBytes *pdf;
	int pages;
} draw_job;

static void
draw_one(gpointer data, gpointer user)
{
	draw_job *j = data;
	if (j->k == N_DOCS) {
		j->pages = typeset_dossier(theme, &j->c->meta, j->c->parts, N_DOCS + 1, "dossier.pdf",
					   &j->pdf);
		return;
	}
	typeset_meta m = j->c->meta;
	m.title = titles[j->k];
	j->pages = typeset_doc_render(j->c->laid[j->k], &m, titles[j->k], &j->pdf);
}

/* Own PDFs and dossiers drawn from the same layouts on 4 threads at once
 * equal the ones drawn alone. */
START_TEST(drawn_at_once_equals_drawn_alone)
{
	corpus c;
	corpus_init(&c);
	corpus_use_laid(&c, TRUE);
	draw_job alone[N_DOCS + 1], jobs[ROUNDS][N_DOCS + 1];
	for (int k = 0; k <= N_DOCS; k++) {
		alone[k] = (draw_job){ &c, k, NULL, 0 };
		draw_one(&alone[k], NULL);
		ck_assert_int_ge(alone[k].pages, 1);
	}
	GThreadPool *pool = g_thread_pool_new(draw_one, NULL, N_THREADS, TRUE, NULL);
	for (int r = 0; r < ROUNDS; r++)
		for (int k = N_DOCS; k >= 0; k--) {	/* the dossier first, as a build does */
			jobs[r][k] = (draw_job){ &c, k, NULL, 0 };
			g_thread_pool_push(pool, &jobs[r][k], NULL);
		}
	g_thread_pool_free(pool, FALSE, TRUE);
	for (int r = 0; r < ROUNDS; r++)
		for (int k = 0; k <= N_DOCS; k++) {
			ck_assert_int_eq(jobs[r][k].pages, alone[k].pages);
			assert_same_pdf(alone[k].pdf, jobs[r][k].pdf, "drawn at once");
			g_bytes_unref(jobs[r][k].pdf);
		}
	for (int k = 0; k <= N_DOCS; k++)
		g_bytes_unref(alone[k].pdf);
	corpus_clear(&c);
}
END_TEST

Suite *
suite_reuse(void)
{
	Suite *s = suite_create("reuse");
	TCase *tc = tcase_create("reuse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, dossier_from_laid_out_parts_is_the_same);
	tcase_add_test(tc, own_pdf_from_layout_is_the_same);
	tcase_add_test(tc, dossier_draws_the_given_layout);
	tcase_add_test(tc, drawn_at_once_equals_drawn_alone);
	suite_add_tcase(s, tc);
	return s;
}
