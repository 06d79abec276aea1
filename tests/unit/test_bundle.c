/* test_bundle.c - the upload zip: the same package always gives the same
 * bytes, whatever the files' mtimes or the order the folder lists them in.
 */
#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>

#include "out/zip.h"

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

	ck_assert(bundle_write(pkg, "pkg", "2026-10-31", zip));
	gsize n1, n2;
	g_autofree char *z1 = zip_bytes(zip, &n1);
	g_utime(f1, &(struct utimbuf){ 1, 1 });	/* mtimes play no part */
	ck_assert(bundle_write(pkg, "pkg", "2026-10-31", zip));
	g_autofree char *z2 = zip_bytes(zip, &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(z1, z2, n1) == 0);
	/* Sorted entries under the prefix: a.md before b/z.md. */
	ck_assert_ptr_nonnull(memmem(z1, n1, "pkg/a.md", 8));
	ck_assert(memmem(z1, n1, "pkg/a.md", 8) < memmem(z1, n1, "pkg/b/z.md", 10));
	/* Another date, other bytes. */
	ck_assert(bundle_write(pkg, "pkg", "2026-11-30", zip));
	g_autofree char *z3 = zip_bytes(zip, &n2);
	ck_assert(n1 != n2 || memcmp(z1, z3, n1) != 0);

	g_autofree char *cmd = g_strdup_printf("unzip -tq '%s' >/dev/null && rm -rf '%s'", zip, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
suite_bundle(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("bundle");
	tcase_add_test(tc, same_bytes);
	suite_add_tcase(s, tc);
	return s;
}
