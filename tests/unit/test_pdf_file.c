/* test_pdf_file.c - src/typeset/pdf_file.c: reading a file in the shape
 * Cairo 1.16 writes, the strings it keeps, the files it refuses, and what
 * it writes (every PDF a build makes is checked with qpdf --check and
 * qpdf --json in tests/e2e/tags.sh and pdf.sh).
 */
#include <check.h>
#include <string.h>
#include <zlib.h>

#include "typeset/pdf_file.h"

/* A file with a cross-reference table over `objects` (object 1 first),
 * the trailer naming /Root 1 0 R and /Info `info` 0 R when not 0. */
static GBytes *
make_pdf(const char *const *objects, int n, int info)
{
	GString *s = g_string_new("%PDF-1.5\n%\xB5\xED\xAE\xFB\n");
	g_autofree gsize *at = g_new(gsize, n);

	for (int i = 0; i < n; i++) {
		at[i] = s->len;
		g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
	}
	gsize xref = s->len;
	g_string_append_printf(s, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
	for (int i = 0; i < n; i++)
		g_string_append_printf(s, "%010" G_GSIZE_FORMAT " 00000 n \n", at[i]);
	g_string_append_printf(s, "trailer\n<< /Size %d\n   /Root 1 0 R\n", n + 1);
	if (info)
		g_string_append_printf(s, "   /Info %d 0 R\n", info);
	g_string_append_printf(s, ">>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
	return g_string_free_to_bytes(s);
}

static pdf_file *
read_ok(GBytes *b)
{
	const char *why = NULL;
	gsize n;
	const guchar *d = g_bytes_get_data(b, &n);
	pdf_file *f = pdf_file_read(d, n, &why);
	ck_assert_msg(f, "refused: %s", why);
	return f;
}

static const char *
refusal(GBytes *b)
{
	const char *why = NULL;
	gsize n;
	const guchar *d = g_bytes_get_data(b, &n);
	pdf_file *f = pdf_file_read(d, n, &why);
	ck_assert_msg(!f, "read a file it should refuse");
	return why;
}

START_TEST(strings_read_as_cairo_writes_them)
{
	static const char *const objs[] = {
		"<< /Type /Catalog >>",
		"<< /Title (a \\(b\\) c\\\\d\\101\\n) /Author <FEFF00E9007400E9> "
		"/Subject <FEFF65E5672C8A9E> /Creator (caf\\351) /Odd [1 2 0 R /N] >>",
	};
	g_autoptr(GBytes) b = make_pdf(objs, 2, 2);
	pdf_file *f = read_ok(b);
	pdf_val *info = pdf_get(f, pdf_file_trailer(f), "/Info");
	g_autofree char *title = pdf_text_value(pdf_get(f, info, "/Title"));
	g_autofree char *author = pdf_text_value(pdf_get(f, info, "/Author"));
	g_autofree char *subject = pdf_text_value(pdf_get(f, info, "/Subject"));
	g_autofree char *creator = pdf_text_value(pdf_get(f, info, "/Creator"));

	ck_assert_str_eq(title, "a (b) c\\dA\n");
	ck_assert_str_eq(author, "été");
	ck_assert_str_eq(subject, "日本語");
	ck_assert_str_eq(creator, "café");
	ck_assert_ptr_null(pdf_text_value(pdf_get(f, info, "/Odd")));
	/* "2 0 R" inside an array is a reference, "1 2" before it numbers. */
	pdf_val *odd = pdf_get_direct(info, "/Odd");
	ck_assert_int_eq(odd->n, 3);
	ck_assert_int_eq(pdf_ref_num(odd->items[1]), 2);
	gint64 one;
	ck_assert(pdf_int_value(odd->items[0], &one) && one == 1);
	ck_assert(pdf_is_name(odd->items[2], "/N"));
	pdf_file_free(f);
}
END_TEST

START_TEST(new_text_is_pdfdoc_or_utf16)
{
	static const char *const objs[] = { "<< /Type /Catalog >>" };
	g_autoptr(GBytes) b = make_pdf(objs, 1, 0);
	pdf_file *f = read_ok(b);
	pdf_val *ascii = pdf_new_text(f, "a (link) \\ here");
	pdf_val *other = pdf_new_text(f, "né");

	ck_assert_int_eq((int)ascii->len, (int)strlen("(a \\(link\\) \\\\ here)"));
	ck_assert(memcmp(ascii->s, "(a \\(link\\) \\\\ here)", ascii->len) == 0);
	ck_assert(other->len == strlen("<FEFF006E00E9>") && memcmp(other->s, "<FEFF006E00E9>", other->len) == 0);
	g_autofree char *back = pdf_text_value(other);
	ck_assert_str_eq(back, "né");
	pdf_file_free(f);
}
END_TEST

/* The bytes of the object stream in `pdf` that holds `needle` (inflated),
 * or NULL. */
static char *
inflated_with(GBytes *pdf, const char *needle)
{
	gsize n;
	const char *p = g_bytes_get_data(pdf, &n), *end = p + n, *s = p;

	while ((s = memmem(s, (size_t)(end - s), "stream\n", 7))) {
		s += 7;
		z_stream z = { .next_in = (Bytef *)s, .avail_in = (uInt)(end - s) };
		guchar out[1 << 16];
		if (inflateInit(&z) != Z_OK)
			continue;
		z.next_out = out;
		z.avail_out = sizeof out - 1;
		int rc = inflate(&z, Z_FINISH);
		inflateEnd(&z);
		if (rc != Z_STREAM_END)
			continue;
		out[sizeof out - 1 - z.avail_out] = 0;
		if (strstr((char *)out, needle))
			return g_strdup((char *)out);
	}
	return NULL;
}

START_TEST(written_with_what_the_trailer_reaches)
{
	static const char *const objs[] = {
		"<< /Type /Catalog /Pages 3 0 R >>",
		"<< /Unreached true >>",
		"<< /Type /Pages /Kids [] /Count 0 /Extra 4 0 R >>",
		"<< /Length 5 0 R >>\nstream\nhello\nendstream",
		"6",
	};
	g_autoptr(GBytes) b = make_pdf(objs, 5, 0);
	pdf_file *f = read_ok(b);
	const char *why = NULL;

	pdf_set(f, pdf_get(f, pdf_file_trailer(f), "/Root"), "/Lang", pdf_new_text(f, "es-AR"));
	g_autoptr(GBytes) out = pdf_file_write(f, "1.7", &why);
	ck_assert_msg(out, "not written: %s", why);
	gsize n;
	const char *p = g_bytes_get_data(out, &n);
	ck_assert(g_str_has_prefix(p, "%PDF-1.7\n%"));
	ck_assert(memmem(p, n, "/Type /XRef", 11) && memmem(p, n, "/ID [<", 6));
	ck_assert(memmem(p, n, "%%EOF\n", 6) == p + n - 6);
	/* The catalog is 1, the page tree 2, the stream 3 (its length is
	 * written directly, so object 5 goes); object 2 is reached by none. */
	g_autofree char *stm = inflated_with(out, "/Catalog");
	ck_assert_msg(stm, "no object stream holds the catalog");
	ck_assert_msg(strstr(stm, "<</Type /Catalog /Pages 2 0 R /Lang (es-AR)>>"), "%s", stm);
	ck_assert_msg(strstr(stm, "/Extra 3 0 R"), "%s", stm);
	ck_assert_ptr_null(strstr(stm, "Unreached"));
	ck_assert(memmem(p, n, "3 0 obj\n<</Filter /FlateDecode /Length ", 39));
	/* The same objects give the same bytes. */
	pdf_file *g = read_ok(b);
	pdf_set(g, pdf_get(g, pdf_file_trailer(g), "/Root"), "/Lang", pdf_new_text(g, "es-AR"));
	g_autoptr(GBytes) again = pdf_file_write(g, "1.7", &why);
	ck_assert(again && g_bytes_equal(out, again));
	pdf_file_free(g);
	pdf_file_free(f);
}
END_TEST

START_TEST(other_shapes_refused_with_a_reason)
{
	static const char *const objs[] = { "<< /Type /Catalog >>" };
	g_autoptr(GBytes) good = make_pdf(objs, 1, 0);
	gsize n;
	const char *p = g_bytes_get_data(good, &n);

	g_autoptr(GBytes) not_pdf = g_bytes_new_static("hello", 5);
	ck_assert_str_eq(refusal(not_pdf), "it is not a PDF");
	/* A cross-reference stream (PDF 1.5's other shape; Cairo never writes one). */
	GString *s = g_string_new_len(p, (gssize)n);
	char *x = strstr(s->str, "xref\n0 2");
	memcpy(x, "XREF", 4);
	g_autoptr(GBytes) stream_xref = g_string_free_to_bytes(s);
	ck_assert_str_eq(refusal(stream_xref), "it has no cross-reference table where it says");
	/* A second revision. */
	s = g_string_new_len(p, (gssize)n);
	char *t = strstr(s->str, "/Root 1 0 R");
	g_string_insert(s, t - s->str, "/Prev 9 ");
	g_autoptr(GBytes) revised = g_string_free_to_bytes(s);
	ck_assert_str_eq(refusal(revised), "it has more than one revision, or is encrypted");
	/* A stream longer than the file: read, then refused when asked for. */
	static const char *const bad[] = { "<< /Type /Catalog /S 2 0 R >>",
					   "<< /Length 9999 >>\nstream\nabc\nendstream" };
	g_autoptr(GBytes) long_stream = make_pdf(bad, 2, 0);
	pdf_file *f = read_ok(long_stream);
	const char *why = NULL;
	ck_assert_ptr_null(pdf_get(f, pdf_get(f, pdf_file_trailer(f), "/Root"), "/S"));
	ck_assert_str_eq(pdf_file_error(f), "an object is not as Cairo writes one");
	ck_assert_ptr_null(pdf_file_write(f, "1.7", &why));
	ck_assert_str_eq(why, "an object is not as Cairo writes one");
	pdf_file_free(f);
}
END_TEST

/* A NUL byte near the end (in a comment here; Cairo's tail holds none
 * today) does not hide "startxref". */
START_TEST(a_nul_in_the_tail_is_read_past)
{
	static const char *const objs[] = { "<< /Type /Catalog >>" };
	g_autoptr(GBytes) good = make_pdf(objs, 1, 0);
	gsize n;
	const char *p = g_bytes_get_data(good, &n);
	GString *s = g_string_new_len(p, (gssize)n);
	gssize at = strstr(s->str, "trailer") - s->str;
	g_string_insert_len(s, at, "% a \0 byte\n", 12);
	g_autoptr(GBytes) with_nul = g_string_free_to_bytes(s);
	pdf_file *f = read_ok(with_nul);
	ck_assert(pdf_is_name(pdf_get(f, pdf_get(f, pdf_file_trailer(f), "/Root"), "/Type"), "/Catalog"));
	pdf_file_free(f);
}
END_TEST

Suite *
suite_pdf_file(void)
{
	Suite *s = suite_create("pdf_file");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, strings_read_as_cairo_writes_them);
	tcase_add_test(tc, new_text_is_pdfdoc_or_utf16);
	tcase_add_test(tc, written_with_what_the_trailer_reaches);
	tcase_add_test(tc, other_shapes_refused_with_a_reason);
	tcase_add_test(tc, a_nul_in_the_tail_is_read_past);
	suite_add_tcase(s, tc);
	return s;
}
