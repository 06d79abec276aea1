/* test_bundle.c - the upload zip: the same package always gives the same
 * bytes, whatever the files' mtimes or the order the folder lists them in.
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>

#include "write/zip.h"

static char *
zip_bytes(const char *zip, gsize *len)
{
	char *data = NULL;
	ck_assert(g_file_get_contents(zip, &data, len, NULL));
	return data;
}

START_TEST(same_bytes)
{
	g_autofree char *dir = g_dir_make_tmp("bundle-XXXXXX", NULL);
	g_autofree char *pkg = g_build_filename(dir, "pkg", NULL);
	g_autofree char *sub = g_build_filename(pkg, "b", NULL);
	g_autofree char *f1 = g_build_filename(sub, "z.md", NULL);
	g_autofree char *f2 = g_build_filename(pkg, "a.md", NULL);
	g_autofree char *zip = g_build_filename(dir, "pkg.zip", NULL);
	g_mkdir_with_parents(sub, 0755);
	ck_assert(g_file_set_contents(f1, "# Z\n", -1, NULL));
	ck_assert(g_file_set_contents(f2, "# A\n", -1, NULL));

	ck_assert(zip_bundle(pkg, "pkg", "2026-10-31", zip));
	gsize n1, n2;
	g_autofree char *z1 = zip_bytes(zip, &n1);
	g_utime(f1, &(struct utimbuf){ 1, 1 });	/* mtimes play no part */
	ck_assert(zip_bundle(pkg, "pkg", "2026-10-31", zip));
	g_autofree char *z2 = zip_bytes(zip, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(z1, z2, n1) == 0);
	/* Sorted entries under the prefix: a.md before b/z.md. */
	ck_assert_ptr_nonnull(memmem(z1, n1, "pkg/a.md", 8));
	ck_assert(memmem(z1, n1, "pkg/a.md", 8) < memmem(z1, n1, "pkg/b/z.md", 10));
	/* Another date, other bytes. */
	ck_assert(zip_bundle(pkg, "pkg", "2026-11-30", zip));
	g_autofree char *z3 = zip_bytes(zip, &n2);
	ck_assert(n1 != n2 || memcmp(z1, z3, n1) != 0);

	g_autofree char *cmd = g_strdup_printf("unzip -tq '%s' >/dev/null && rm -rf '%s'", zip, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A zip made with the previous one's deflated entries copied is the zip
 * made from scratch: when files changed, were added or removed, when a
 * file kept its size but not its bytes, when the old zip's entry of an
 * unchanged file holds other bytes of the same size, and when the old zip
 * is not a zip. */
START_TEST(copied_entries_same_bytes)
{
	g_autofree char *dir = g_dir_make_tmp("bundle-XXXXXX", NULL);
	g_autofree char *pkg = g_build_filename(dir, "pkg", NULL);
	g_autofree char *old = g_build_filename(dir, "old.zip", NULL);
	g_autofree char *fresh = g_build_filename(dir, "fresh.zip", NULL);
	g_autofree char *copied = g_build_filename(dir, "copied.zip", NULL);
	g_mkdir_with_parents(pkg, 0755);
	GString *big = g_string_new(NULL);
	for (int i = 0; i < 4000; i++)
		g_string_append_printf(big, "<text x=\"%d\">line %d</text>\n", i, i * 7);
	const char *names[] = { "keep.svg", "edit.md", "gone.md", "same-size.md", "doc.pdf" };
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *f = g_build_filename(pkg, names[i], NULL);
		ck_assert(g_file_set_contents(f, i == 0 ? big->str : "# Text\n\nwords words\n", -1, NULL));
	}
	ck_assert(zip_bundle(pkg, "pkg", "2026-10-31", old));
	/* Edit one file, remove one, add one, keep the size of another. */
	g_autofree char *edit = g_build_filename(pkg, "edit.md", NULL);
	g_autofree char *gone = g_build_filename(pkg, "gone.md", NULL);
	g_autofree char *added = g_build_filename(pkg, "new.md", NULL);
	g_autofree char *same = g_build_filename(pkg, "same-size.md", NULL);
	ck_assert(g_file_set_contents(edit, "# Text\n\nother words, more of them\n", -1, NULL));
	ck_assert(g_unlink(gone) == 0);
	ck_assert(g_file_set_contents(added, "# New\n", -1, NULL));
	ck_assert(g_file_set_contents(same, "# Text\n\nwords Words\n", -1, NULL));
	ck_assert(zip_bundle(pkg, "pkg", "2026-10-31", fresh));
	ck_assert(zip_bundle_from(pkg, "pkg", "2026-10-31", copied, old));
	gsize n1, n2;
	g_autofree char *z1 = zip_bytes(fresh, &n1);
	g_autofree char *z2 = zip_bytes(copied, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(z1, z2, n1) == 0);
	/* An old zip whose keep.svg holds other bytes of the same length. */
	g_autofree char *keep = g_build_filename(pkg, "keep.svg", NULL);
	g_autofree char *other = g_strdup(big->str);
	other[20] = other[20] == '1' ? '2' : '1';
	ck_assert(g_file_set_contents(keep, other, -1, NULL));
	ck_assert(zip_bundle(pkg, "pkg", "2026-10-31", old));
	ck_assert(g_file_set_contents(keep, big->str, -1, NULL));
	ck_assert(zip_bundle_from(pkg, "pkg", "2026-10-31", copied, old));
	g_autofree char *z3 = zip_bytes(copied, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(z1, z3, n1) == 0);
	/* No old zip, or not a zip: made from scratch. */
	g_autofree char *junk = g_build_filename(dir, "junk.zip", NULL);
	ck_assert(g_file_set_contents(junk, "not a zip", -1, NULL));
	ck_assert(zip_bundle_from(pkg, "pkg", "2026-10-31", copied, junk));
	g_autofree char *z4 = zip_bytes(copied, &n2);
	ck_assert(n1 == n2 && memcmp(z1, z4, n1) == 0);
	g_string_free(big, TRUE);
	g_autofree char *cmd = g_strdup_printf("unzip -tq '%s' >/dev/null && rm -rf '%s'", copied, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
suite_bundle(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("bundle");
	tcase_add_test(tc, same_bytes);
	tcase_add_test(tc, copied_entries_same_bytes);
	suite_add_tcase(s, tc);
	return s;
}
