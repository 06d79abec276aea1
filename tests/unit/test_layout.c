/* test_layout.c - the page layout of the typeset stage, by positions and
 * page numbers: page breaking, keep-with-next, widows and orphans, table
 * column widths and repeated headers, list indentation, outline entries,
 * located errors.  Properties are checked over many filler lengths so they
 * hold wherever the page break happens to fall.
 */
#include <check.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "typeset/document.h"
#include "typeset/layout.h"
#include "typeset/typeset.h"

static typeset_theme *theme;

static void
setup(void)
{
	theme = typeset_theme_load(NULL);
}

static void
teardown(void)
{
	typeset_theme_free(theme);
}

static layout_doc *
lay(const char *md)
{
	typeset_meta meta = { .footer = "Acme S.A.", .date = 0 };
	char *title = NULL;
	layout_doc *doc = document_layout(theme, &meta, md, strlen(md), "test.md",
					 &title);
	g_free(title);
	return doc;
}

/* The text of a text box, newly allocated. */
static char *
box_text(const layout_box *b)
{
	PangoLayoutLine *line = pango_layout_get_line_readonly(b->layout, b->line);
	return g_strstrip(g_strndup(pango_layout_get_text(b->layout) + line->start_index,
				    line->length));
}

static layout_page *
page(const layout_doc *doc, guint i)
{
	return g_ptr_array_index(doc->pages, i);
}

static layout_box *
box(const layout_page *pg, guint i)
{
	return g_ptr_array_index(pg->boxes, i);
}

/* Is this text box part of the body (not the running header or footer)? */
static gboolean
in_body(const layout_doc *doc, const layout_box *b)
{
	return b->y >= doc->body_top - 0.5 && b->y < doc->body_bottom;
}

/* Page (1-based) and box of the first body text box whose text starts
 * with `prefix`; 0 if none. */
static int
find_text(const layout_doc *doc, const char *prefix, layout_box **out)
{
	for (guint p = 0; p < doc->pages->len; p++)
		for (guint i = 0; i < page(doc, p)->boxes->len; i++) {
			layout_box *b = box(page(doc, p), i);
			if (b->kind != LAYOUT_BOX_TEXT || !in_body(doc, b))
				continue;
			g_autofree char *t = box_text(b);
			if (g_str_has_prefix(t, prefix)) {
				if (out)
					*out = b;
				return (int)p + 1;
			}
		}
	return 0;
}

static GString *
filler(int lines)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < lines; i++)
		g_string_append_printf(s, "Filler line %d.\n\n", i);
	return s;
}

START_TEST(pages_and_margins)
{
	g_autoptr(GString) s = filler(300);
	layout_doc *doc = lay(s->str);

	ck_assert_ptr_nonnull(doc);
	ck_assert_int_ge(doc->pages->len, 4);
	ck_assert_int_eq(find_text(doc, "Filler line 0.", NULL), 1);
	ck_assert_int_eq(find_text(doc, "Filler line 299.", NULL), (int)doc->pages->len);
	for (guint p = 0; p < doc->pages->len; p++)
		for (guint i = 0; i < page(doc, p)->boxes->len; i++) {
			layout_box *b = box(page(doc, p), i);
			ck_assert(b->x >= doc->col_x - 0.01);
			ck_assert(b->x + b->w <= doc->col_x + doc->col_w + 0.01);
			if (b->kind == LAYOUT_BOX_TEXT && in_body(doc, b))
				ck_assert(b->y + b->h <= doc->body_bottom + 0.01);
		}
	/* A4 by default; the first line sits at the top margin. */
	ck_assert(doc->page_w > 595 && doc->page_w < 596);
	layout_box *b;
	find_text(doc, "Filler line 0.", &b);
	ck_assert_double_eq_tol(b->y, theme->margin_top, 0.01);
	layout_free(doc);
}
END_TEST

START_TEST(letter_paper)
{
	typeset_meta meta = { .paper = "letter" };
	char *title = NULL;
	layout_doc *doc = document_layout(theme, &meta, "x", 1, NULL, &title);

	ck_assert_double_eq(doc->page_w, 612);
	ck_assert_double_eq(doc->page_h, 792);
	ck_assert_str_eq(title, "");	/* no heading, no file name */
	g_free(title);
	layout_free(doc);
}
END_TEST

START_TEST(footer_page_n_of_m)
{
	g_autoptr(GString) s = filler(120);
	g_string_prepend(s, "# Quarterly report\n\n");
	layout_doc *doc = lay(s->str);
	guint n = doc->pages->len;
	g_autofree char *want = g_strdup_printf("Page 2 of %u", n);
	gboolean found = FALSE, header = FALSE;

	for (guint i = 0; i < page(doc, 1)->boxes->len; i++) {
		layout_box *b = box(page(doc, 1), i);
		if (b->kind != LAYOUT_BOX_TEXT)
			continue;
		g_autofree char *t = box_text(b);
		if (strcmp(t, want) == 0 && b->y > doc->body_bottom)
			found = TRUE;
		if (strcmp(t, "Quarterly report") == 0 && b->y < doc->body_top)
			header = TRUE;
	}
	ck_assert(found);
	ck_assert(header);
	layout_free(doc);
}
END_TEST

/* Wherever the break falls, a heading stays on the page of the text that
 * follows it. */
START_TEST(heading_kept_with_next)
{
	for (int n = 40; n < 60; n++) {
		g_autoptr(GString) s = filler(n);
		g_string_append(s, "## The heading\n\nFirst words after the heading, "
				"long enough to make a paragraph of two or three lines "
				"when it is set in the body font at the normal width of "
				"the column on an A4 page with the default margins.\n");
		layout_doc *doc = lay(s->str);
		ck_assert_int_eq(find_text(doc, "The heading", NULL),
				 find_text(doc, "First words", NULL));
		layout_free(doc);
	}
}
END_TEST

/* Every paragraph split by a page break leaves two lines or more on each
 * page. */
START_TEST(no_widows_or_orphans)
{
	GString *para = g_string_new(NULL);
	for (int i = 0; i < 7; i++)
		g_string_append(para, "This sentence is here to make the paragraph run "
				"over several lines of the column. ");
	for (int n = 30; n < 60; n++) {
		g_autoptr(GString) s = filler(n);
		g_string_append(s, para->str);
		layout_doc *doc = lay(s->str);
		PangoLayout *pl = NULL;
		int per_page[8] = { 0 };
		for (guint p = 0; p < doc->pages->len && p < 8; p++)
			for (guint i = 0; i < page(doc, p)->boxes->len; i++) {
				layout_box *b = box(page(doc, p), i);
				if (b->kind != LAYOUT_BOX_TEXT || !in_body(doc, b))
					continue;
				g_autofree char *t = box_text(b);
				if (!pl && g_str_has_prefix(t, "This sentence"))
					pl = b->layout;
				if (pl && b->layout == pl)
					per_page[p]++;
			}
		int pages_used = 0;
		for (int p = 0; p < 8; p++)
			if (per_page[p]) {
				pages_used++;
				ck_assert_msg(per_page[p] >= 2,
					      "filler %d: %d line(s) on page %d", n,
					      per_page[p], p + 1);
			}
		ck_assert_int_ge(pages_used, 1);
		layout_free(doc);
	}
	g_string_free(para, TRUE);
}
END_TEST

/* Right edges of the columns of the table whose header starts with
 * `first`, from the x of its header cells. */
static int
header_xs(const layout_doc *doc, guint p, double *xs, int max)
{
	int n = 0;
	for (guint i = 0; i < page(doc, p)->boxes->len && n < max; i++) {
		layout_box *b = box(page(doc, p), i);
		g_autofree char *t = b->kind == LAYOUT_BOX_TEXT ? box_text(b) : NULL;
		if (t && g_str_has_prefix(t, "Col "))
			xs[n++] = b->x;
	}
	return n;
}

START_TEST(table_columns_from_content)
{
	const char *md =
		"| Col A | Col B | Col C |\n|---|---|---|\n"
		"| 1 | a long description that needs much more room than the others | x |\n"
		"| 2 | another long cell of text | y |\n";
	layout_doc *doc = lay(md);
	double xs[3];

	ck_assert_int_eq(header_xs(doc, 0, xs, 3), 3);
	double wa = xs[1] - xs[0], wb = xs[2] - xs[1];
	ck_assert_msg(wb > 2 * wa, "widths %.1f %.1f", wa, wb);
	/* The table spans the column. */
	gboolean full = FALSE;
	for (guint i = 0; i < page(doc, 0)->boxes->len; i++) {
		layout_box *b = box(page(doc, 0), i);
		if (b->kind == LAYOUT_BOX_RECT && fabs(b->w - doc->col_w) < 0.01)
			full = TRUE;
	}
	ck_assert(full);
	layout_free(doc);
}
END_TEST

START_TEST(wide_table_stays_inside)
{
	GString *s = g_string_new("| Col 1 | Col 2 | Col 3 | Col 4 | Col 5 | Col 6 |\n"
				  "|---|---|:---:|---:|---|---|\n");
	for (int r = 0; r < 12; r++) {
		g_string_append(s, "|");
		for (int c = 0; c < 6; c++)
			g_string_append(s, " Supercalifragilisticexpialidocious words "
					"https://example.com/a/very/long/path/that/never/breaks "
					"and more words |");
		g_string_append_c(s, '\n');
	}
	layout_doc *doc = lay(s->str);
	for (guint p = 0; p < doc->pages->len; p++)
		for (guint i = 0; i < page(doc, p)->boxes->len; i++) {
			layout_box *b = box(page(doc, p), i);
			ck_assert_msg(b->x >= doc->col_x - 0.01 &&
				      b->x + b->w <= doc->col_x + doc->col_w + 0.01,
				      "box at x=%.1f w=%.1f", b->x, b->w);
		}
	double xs[6];
	ck_assert_int_eq(header_xs(doc, 0, xs, 6), 6);
	layout_free(doc);
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(table_header_repeated)
{
	GString *s = g_string_new("Before the table.\n\n| Col A | Col B |\n|---|--:|\n");
	for (int r = 1; r <= 200; r++)
		g_string_append_printf(s, "| row %d | %d |\n", r, r * 7);
	layout_doc *doc = lay(s->str);

	ck_assert_int_ge(doc->pages->len, 4);
	int first = find_text(doc, "row 1", NULL), last = find_text(doc, "row 200", NULL);
	ck_assert_int_eq(first, 1);
	ck_assert_int_eq(last, (int)doc->pages->len);
	for (int p = first; p <= last; p++) {
		/* The first body text of every page is the header. */
		layout_box *top = NULL;
		for (guint i = 0; i < page(doc, p - 1)->boxes->len; i++) {
			layout_box *b = box(page(doc, p - 1), i);
			if (b->kind == LAYOUT_BOX_TEXT && in_body(doc, b) &&
			    (!top || b->y < top->y))
				top = b;
		}
		g_autofree char *t = box_text(top);
		if (p > 1)
			ck_assert_msg(strcmp(t, "Col A") == 0, "page %d starts with '%s'", p, t);
		int rows = 0;
		for (guint i = 0; i < page(doc, p - 1)->boxes->len; i++) {
			layout_box *b = box(page(doc, p - 1), i);
			g_autofree char *bt = b->kind == LAYOUT_BOX_TEXT ? box_text(b) : NULL;
			if (bt && g_str_has_prefix(bt, "row "))
				rows++;
		}
		ck_assert_int_ge(rows, 2);
	}
	/* Right-aligned column: the numbers end at the same x. */
	layout_box *a, *b;
	find_text(doc, "7", &a);
	find_text(doc, "1400", &b);
	ck_assert_double_eq_tol(a->x + a->w, b->x + b->w, 0.05);
	layout_free(doc);
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(list_indentation)
{
	const char *md = "- outer one\n  - inner one\n    - innermost\n- outer two\n\n"
		"1. first\n2. second\n\n"
		"- [x] done\n- [ ] open\n";
	layout_doc *doc = lay(md);
	layout_box *o1, *i1, *ii, *o2, *n1, *n2;

	find_text(doc, "outer one", &o1);
	find_text(doc, "inner one", &i1);
	find_text(doc, "innermost", &ii);
	find_text(doc, "outer two", &o2);
	ck_assert_double_eq_tol(o1->x, o2->x, 0.01);
	ck_assert_double_eq_tol(i1->x - o1->x, theme->list_indent, 0.01);
	ck_assert_double_eq_tol(ii->x - i1->x, theme->list_indent, 0.01);
	ck_assert_double_eq_tol(o1->x - doc->col_x, theme->list_indent, 0.01);
	/* Bullets sit in the gutter, on the baseline of their item. */
	layout_box *bullet;
	ck_assert_int_eq(find_text(doc, "•", &bullet), 1);
	ck_assert(bullet->x < o1->x && bullet->x >= doc->col_x);
	ck_assert_double_eq_tol(bullet->baseline, o1->baseline, 0.01);
	/* Numbers are right-aligned before the text. */
	find_text(doc, "1.", &n1);
	find_text(doc, "2.", &n2);
	ck_assert_double_eq_tol(n1->x + n1->w, n2->x + n2->w, 0.01);
	ck_assert(n1->x + n1->w < o1->x);
	/* Task items get real checkboxes. */
	int checked = 0, unchecked = 0;
	for (guint i = 0; i < page(doc, 0)->boxes->len; i++) {
		layout_box *b = box(page(doc, 0), i);
		if (b->kind == LAYOUT_BOX_CHECKBOX)
			b->checked ? checked++ : unchecked++;
	}
	ck_assert_int_eq(checked, 1);
	ck_assert_int_eq(unchecked, 1);
	layout_free(doc);
}
END_TEST

START_TEST(code_wraps_inside_its_ground)
{
	GString *s = g_string_new("```\n");
	for (int i = 0; i < 40; i++)
		g_string_append(s, "0123456789");
	g_string_append(s, "\n```\n");
	layout_doc *doc = lay(s->str);
	int lines = 0;
	layout_box *ground = NULL;

	for (guint i = 0; i < page(doc, 0)->boxes->len; i++) {
		layout_box *b = box(page(doc, 0), i);
		if (b->kind == LAYOUT_BOX_RECT && !ground)
			ground = b;
		if (b->kind == LAYOUT_BOX_TEXT && in_body(doc, b)) {
			lines++;
			ck_assert(b->x + b->w <= doc->col_x + doc->col_w);
			ck_assert(ground && b->y >= ground->y &&
				  b->y + b->h <= ground->y + ground->h + 0.01);
		}
	}
	ck_assert_int_ge(lines, 4);
	layout_free(doc);
	g_string_free(s, TRUE);
}
END_TEST

/* A code block cut by a page break: its ground starts at the top margin
 * and the text keeps its padding below it. */
START_TEST(code_split_keeps_padding)
{
	g_autoptr(GString) s = filler(28);
	g_string_append(s, "```\n");
	for (int i = 0; i < 60; i++)
		g_string_append_printf(s, "line %d of the code\n", i);
	g_string_append(s, "```\n");
	layout_doc *doc = lay(s->str);
	int first = find_text(doc, "line 0 ", NULL), last = find_text(doc, "line 59 ", NULL);

	ck_assert_int_eq(last, first + 1);
	layout_box *ground = NULL, *top = NULL;
	for (guint i = 0; i < page(doc, last - 1)->boxes->len; i++) {
		layout_box *b = box(page(doc, last - 1), i);
		if (b->kind == LAYOUT_BOX_RECT && !ground)
			ground = b;
		if (b->kind == LAYOUT_BOX_TEXT && in_body(doc, b) && !top)
			top = b;
	}
	ck_assert_double_eq_tol(ground->y, doc->body_top, 0.01);
	ck_assert_double_eq_tol(top->y - ground->y, theme->code_padding, 0.01);
	layout_free(doc);
}
END_TEST

START_TEST(outline_and_links)
{
	g_autoptr(GString) s = filler(80);
	g_string_prepend(s, "# Title 📊\n\nSee [the end](#the-end) and "
			 "[a site](https://example.com).\n\n");
	g_string_append(s, "## The end\n\nDone.\n");
	layout_doc *doc = lay(s->str);
	char *dump = layout_dump(doc);

	ck_assert_ptr_nonnull(strstr(dump, "outline 0: page 1 y=74.0 'Title 📊'"));
	ck_assert_ptr_nonnull(strstr(dump, "outline 1: page 3 "));
	ck_assert_ptr_nonnull(strstr(dump, "link "));
	ck_assert_ptr_nonnull(strstr(dump, "'#the-end'"));
	ck_assert_ptr_nonnull(strstr(dump, "'https://example.com'"));
	ck_assert_ptr_nonnull(strstr(dump, "dest "));
	ck_assert(g_str_has_prefix(dump, "page 1: "));
	g_free(dump);
	layout_free(doc);
}
END_TEST

START_TEST(missing_image_is_located)
{
	diag_capture_begin();
	layout_doc *doc = lay("Text.\n\n![A chart](nope/missing.png)\n");
	g_autofree char *msg = diag_capture_end();

	ck_assert_ptr_null(doc);
	ck_assert_msg(g_str_has_prefix(msg, "test.md:3:1: error: image 'nope/missing.png': "),
		      "got: %s", msg);

	typeset_meta meta = { .flags = TYPESET_DRAFT };
	char *title = NULL;
	const char *md = "![A chart](nope/missing.png)\n";
	diag_capture_begin();
	doc = document_layout(theme, &meta, md, strlen(md), "test.md", &title);
	g_autofree char *warn = diag_capture_end();
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(strstr(warn, "test.md:1:1: warning: image"));
	ck_assert_int_eq(find_text(doc, "[missing image: nope/missing.png]", NULL), 1);
	ck_assert_int_eq(find_text(doc, "Figure 1. A chart", NULL), 1);
	g_free(title);
	layout_free(doc);
}
END_TEST

START_TEST(theme_errors_are_located)
{
	char path[] = "/tmp/theme-XXXXXX";
	int fd = g_mkstemp(path);
	const char *text = "margins:\n  top: 20mm\nsizes:\n  bodyy: 11\n";
	ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);

	diag_capture_begin();
	typeset_theme *t = typeset_theme_load(path);
	g_autofree char *msg = diag_capture_end();
	ck_assert_ptr_null(t);
	g_autofree char *want = g_strdup_printf("%s:4:10: error: unknown theme key "
						"sizes.bodyy (did you mean body?)", path);
	ck_assert_msg(strstr(msg, want) != NULL, "got: %s", msg);

	text = "margins:\n  top: 20mm\ncolors:\n  link: \"#00f\"\n";
	g_file_set_contents(path, text, -1, NULL);
	t = typeset_theme_load(path);
	ck_assert_ptr_nonnull(t);
	ck_assert_double_eq_tol(t->margin_top, 20 * 72 / 25.4, 0.001);
	ck_assert_double_eq(t->color_link.b, 1);
	typeset_theme_free(t);
	unlink(path);
}
END_TEST

typedef struct {
	const char *md;
	GBytes *pdf;
	int pages;
} job;

static void
run_job(gpointer data, gpointer user)
{
	job *j = data;
	typeset_meta meta = { .title = "Threads", .footer = "Acme", .date = 1790812800 };
	j->pages = typeset_markdown(user, &meta, j->md, strlen(j->md), "t.md", "t.pdf", &j->pdf);
}

/* Documents typeset at the same time on several threads come out exactly
 * as they do one at a time. */
START_TEST(parallel_equals_sequential)
{
	GString *big = g_string_new("# Parallel 📊\n\n| A | B |\n|---|---|\n");
	for (int i = 0; i < 150; i++)
		g_string_append_printf(big, "| row %d | *value* %d |\n", i, i);
	const char *docs[4] = { big->str, "# One\n\n- [x] a\n- [ ] b\n",
				"Plain **text** and `code`.\n", "> quote\n\n```\ncode\n```\n" };
	job jobs[8];

	for (int k = 0; k < 8; k++)
		jobs[k] = (job){ .md = docs[k % 4] };
	GThreadPool *pool = g_thread_pool_new(run_job, theme, 4, TRUE, NULL);
	for (int k = 0; k < 4; k++)
		g_thread_pool_push(pool, &jobs[k], NULL);
	g_thread_pool_free(pool, FALSE, TRUE);
	for (int k = 4; k < 8; k++)
		run_job(&jobs[k], theme);
	for (int k = 0; k < 4; k++) {
		ck_assert_int_gt(jobs[k].pages, 0);
		ck_assert_int_eq(jobs[k].pages, jobs[k + 4].pages);
		ck_assert_ptr_nonnull(jobs[k].pdf);
		ck_assert_ptr_nonnull(jobs[k + 4].pdf);
		ck_assert_msg(g_bytes_equal(jobs[k].pdf, jobs[k + 4].pdf), "document %d differs", k);
	}
	for (int k = 0; k < 8; k++)
		g_bytes_unref(jobs[k].pdf);
	g_string_free(big, TRUE);
}
END_TEST

Suite *
suite_layout(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pages_and_margins);
	tcase_add_test(tc, letter_paper);
	tcase_add_test(tc, footer_page_n_of_m);
	tcase_add_test(tc, heading_kept_with_next);
	tcase_add_test(tc, no_widows_or_orphans);
	tcase_add_test(tc, table_columns_from_content);
	tcase_add_test(tc, wide_table_stays_inside);
	tcase_add_test(tc, table_header_repeated);
	tcase_add_test(tc, list_indentation);
	tcase_add_test(tc, code_wraps_inside_its_ground);
	tcase_add_test(tc, code_split_keeps_padding);
	tcase_add_test(tc, outline_and_links);
	tcase_add_test(tc, missing_image_is_located);
	tcase_add_test(tc, theme_errors_are_located);
	tcase_add_test(tc, parallel_equals_sequential);
	suite_add_tcase(s, tc);
	return s;
}
