/* test_manifest.c - the package inventory: media types, the SHA256SUMS text,
 * manifest.xml written and read back, and the differences verify reports
 * (a flipped byte, a missing file, an extra file).
 */
#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "write/manifest.h"

/* A fresh folder with a small package: a.md, sub/b.pdf. */
static char *
make_package(void)
{
	char *dir = g_dir_make_tmp("manifest-XXXXXX", NULL);
	g_autofree char *sub = g_build_filename(dir, "sub", NULL);
	g_autofree char *a = g_build_filename(dir, "a.md", NULL);
	g_autofree char *b = g_build_filename(sub, "b.pdf", NULL);
	g_mkdir(sub, 0755);
	g_file_set_contents(a, "abc", 3, NULL);
	g_file_set_contents(b, "%PDF-1.7\n", -1, NULL);
	return dir;
}

static void
remove_package(const char *dir)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static manifest *
scan(const char *dir)
{
	manifest *m = manifest_new("pkg", "Co & Sons", "2026-10-31");
	ck_assert(manifest_scan(m, dir));
	return m;
}

/* The lines manifest_compare reports, joined with newlines. */
static char *
differences(const manifest *want, const char *dir)
{
	g_autoptr(manifest) have = scan(dir);
	g_autoptr(GPtrArray) d = manifest_compare(want, have);
	g_ptr_array_add(d, NULL);
	return g_strjoinv("\n", (char **)d->pdata);
}

START_TEST(media_types)
{
	ck_assert_str_eq(manifest_media_type("company/company-overview.md"), "text/markdown");
	ck_assert_str_eq(manifest_media_type("x/y.PDF"), "application/pdf");
	ck_assert_str_eq(manifest_media_type("business/chart.svg"), "image/svg+xml");
	ck_assert_str_eq(manifest_media_type("business/client-metrics.xlsx"),
			 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	ck_assert_str_eq(manifest_media_type("v1.0/README"), "application/octet-stream");
}
END_TEST

START_TEST(scan_sorted_hashed)
{
	g_autofree char *dir = make_package();
	g_autofree char *own = g_build_filename(dir, MANIFEST_XML, NULL);
	g_file_set_contents(own, "<old/>", -1, NULL);	/* never lists itself */
	g_autoptr(manifest) m = scan(dir);
	ck_assert_uint_eq(m->files->len, 2);
	manifest_entry *a = m->files->pdata[0], *b = m->files->pdata[1];
	ck_assert_str_eq(a->path, "a.md");
	ck_assert_uint_eq(a->size, 3);
	ck_assert_str_eq(a->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_str_eq(b->path, "sub/b.pdf");
	manifest_set_origin(m, "a.md", MANIFEST_TEMPLATE);
	ck_assert_int_eq(a->origin, MANIFEST_TEMPLATE);
	ck_assert_int_eq(b->origin, MANIFEST_GENERATED);

	g_autofree char *sums = manifest_sums_text(m);
	ck_assert(g_str_has_prefix(sums, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.md\n"));
	ck_assert(g_str_has_suffix(sums, "  sub/b.pdf\n"));
	remove_package(dir);
}
END_TEST

START_TEST(write_read_back)
{
	g_autofree char *dir = make_package();
	g_autoptr(manifest) m = scan(dir);
	manifest_set_origin(m, "sub/b.pdf", MANIFEST_ATTACHMENT);
	ck_assert(manifest_save(m, dir));
	g_autofree char *xml_path = g_build_filename(dir, MANIFEST_XML, NULL);
	g_autofree char *xml = NULL;
	ck_assert(g_file_get_contents(xml_path, &xml, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(xml, "<company>Co &amp; Sons</company>"));
	ck_assert_ptr_nonnull(strstr(xml, "<generated>2026-10-31</generated>"));
	ck_assert_ptr_nonnull(strstr(xml, "<file path=\"sub/b.pdf\" media-type=\"application/pdf\" size=\"9\""));
	ck_assert_ptr_nonnull(strstr(xml, "origin=\"attachment\"/>"));

	g_autoptr(manifest) r = manifest_read(xml_path);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->package, "pkg");
	ck_assert_str_eq(r->company, "Co & Sons");
	ck_assert_uint_eq(r->files->len, 2);
	ck_assert_int_eq(((manifest_entry *)r->files->pdata[1])->origin, MANIFEST_ATTACHMENT);
	/* Writing what was read gives the same bytes. */
	ck_assert(manifest_save(r, dir));
	g_autofree char *again = NULL;
	ck_assert(g_file_get_contents(xml_path, &again, NULL, NULL));
	ck_assert_str_eq(again, xml);
	g_autofree char *none = differences(r, dir);
	ck_assert_str_eq(none, "");
	remove_package(dir);
}
END_TEST

START_TEST(tampering)
{
	g_autofree char *dir = make_package();
	g_autoptr(manifest) m = scan(dir);
	g_autofree char *a = g_build_filename(dir, "a.md", NULL);
	g_autofree char *b = g_build_filename(dir, "sub", "b.pdf", NULL);
	g_autofree char *c = g_build_filename(dir, "sub", "c.txt", NULL);

	g_file_set_contents(a, "abd", 3, NULL);		/* one flipped byte, same size */
	g_autofree char *d1 = differences(m, dir);
	ck_assert_str_eq(d1, "modified: a.md");

	g_unlink(b);
	g_file_set_contents(c, "new", -1, NULL);
	g_autofree char *d2 = differences(m, dir);
	ck_assert_str_eq(d2, "modified: a.md\nmissing: sub/b.pdf\nextra: sub/c.txt");
	remove_package(dir);
}
END_TEST

/* Not a manifest: located one-line errors, NULL. */
static char *
read_error(const char *text)
{
	g_autofree char *dir = g_dir_make_tmp("manifest-XXXXXX", NULL);
	g_autofree char *f = g_build_filename(dir, "manifest.xml", NULL);
	g_file_set_contents(f, text, -1, NULL);
	diag_capture_begin();
	manifest *m = manifest_read(f);
	char *msgs = diag_capture_end();
	ck_assert_ptr_null(m);
	g_autofree char *prefix = g_strconcat(f, ":", NULL);
	ck_assert(g_str_has_prefix(msgs, prefix));
	char *rest = g_strdup(msgs + strlen(prefix));
	g_free(msgs);
	remove_package(dir);
	return rest;
}

START_TEST(bad_manifests)
{
	g_autofree char *e1 = read_error("<manifest><files>");
	ck_assert(g_str_has_prefix(e1, "1: error: not well-formed XML: "));
	g_autofree char *e2 = read_error("<manifest/>");
	ck_assert_str_eq(e2, " error: not a dossier manifest (no <manifest xmlns=\"urn:dossier:manifest:1\">)\n");
	g_autofree char *e3 = read_error(
		"<manifest xmlns=\"urn:dossier:manifest:1\"><files>\n"
		"<file path=\"../etc/passwd\" size=\"1\" sha256=\""
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"/></files></manifest>");
	ck_assert_str_eq(e3, "2: error: a <file> needs a relative path, a size and a SHA-256\n");
}
END_TEST

Suite *
suite_manifest(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("manifest");
	tcase_add_test(tc, media_types);
	tcase_add_test(tc, scan_sorted_hashed);
	tcase_add_test(tc, write_read_back);
	tcase_add_test(tc, tampering);
	tcase_add_test(tc, bad_manifests);
	suite_add_tcase(s, tc);
	return s;
}
