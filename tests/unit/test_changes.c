/* test_changes.c - what a build changed: the old → new lines of CHANGES.md,
 * the change in percent, and a corrupt build state ignored with a warning.
 */
#include <check.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "write/changes.h"
#include "base/diag.h"

START_TEST(deltas)
{
	char *d;
	ck_assert_str_eq(d = changes_delta(84, 97, false), "+15.5%"); g_free(d);
	ck_assert_str_eq(d = changes_delta(200, 150, false), "\xE2\x88\x92" "25.0%"); g_free(d);
	ck_assert_str_eq(d = changes_delta(99.94, 99.91, true), "\xE2\x88\x92" "0.03 pp"); g_free(d);
	ck_assert_str_eq(d = changes_delta(10, 10.001, false), "±0.0%"); g_free(d);
	ck_assert_str_eq(d = changes_delta(0, 5, false), ""); g_free(d);
	ck_assert_str_eq(d = changes_delta(NAN, 5, false), ""); g_free(d);
}
END_TEST

/* A tree with the figures changes_state_new reads. */
static val *
tree(double clients, bool met)
{
	val *root = val_new_map();
	val *build = val_set_map(root, "build");
	val_set_string(build, "date_long", clients > 90 ? "30 November 2026" : "31 October 2026");
	val *latest = val_set_map(root, "latest");
	val_set_string(latest, "month_name", clients > 90 ? "November 2026" : "October 2026");
	val_set_number(latest, "whatsapp_ai_clients", clients);
	val_set_number(latest, "uptime_percent", 99.94);
	val *fmt = val_set_map(latest, "fmt");
	g_autofree char *c = g_strdup_printf("%g", clients);
	val_set_string(fmt, "whatsapp_ai_clients", c);
	val_set_string(fmt, "uptime_percent", "99.94%");
	val *rows = val_set_list(val_set_map(root, "triggers"), "rows");
	val *r = val_new_map();
	val_set_string(r, "metric", "Active WhatsApp AI clients");
	val_set_string(r, "target", "100+");
	val_set_string(r, "current", c);
	val_set_bool(r, "met", met);
	val_list_add(rows, r);
	return root;
}

static manifest *
files(const char *sha_a)
{
	manifest *m = manifest_new("p", "c", "d");
	const char *paths[] = { "a.md", "b.md" };
	for (int i = 0; i < 2; i++) {
		manifest_entry *e = g_new0(manifest_entry, 1);
		e->path = g_strdup(paths[i]);
		e->media_type = g_strdup("text/markdown");
		memset(e->sha256, i ? 'b' : sha_a[0], 64);
		g_ptr_array_add(m->files, e);
	}
	return m;
}

START_TEST(report)
{
	val *t1 = tree(84, false), *t2 = tree(97, false);
	g_autoptr(manifest) m1 = files("a"), m2 = files("c");
	g_autoptr(changes_state) s1 = changes_state_new(t1, m1);
	g_autoptr(changes_state) s2 = changes_state_new(t2, m2);
	g_autofree char *first = changes_report(NULL, s1);
	ck_assert_str_eq(first, "# What changed\n\nBuild of 31 October 2026 (latest snapshot: October 2026).\n\n"
		"First build: there is no previous build to compare with yet. The package has 2 files.\n");
	g_autofree char *md = changes_report(s1, s2);
	ck_assert_str_eq(md,
		"# What changed\n\n"
		"Build of 30 November 2026 (latest snapshot: November 2026), compared with the previous "
		"build of 31 October 2026 (latest snapshot: October 2026).\n\n"
		"## Documents\n\nChanged (1):\n\n- `a.md`\n\nUnchanged: 1 file.\n\n"
		"## Figures\n\n"
		"- Latest snapshot: October 2026 → November 2026\n"
		"- WhatsApp AI clients: 84 → 97 (+15.5%)\n"
		"- Trigger 'Active WhatsApp AI clients 100+': unmet → unmet\n");
	g_autofree char *same = changes_report(s2, s2);
	ck_assert_ptr_nonnull(strstr(same, "No document changed (2 files).\n\n## Figures\n\nNo figure moved.\n"));
	val_free(t1);
	val_free(t2);
}
END_TEST

START_TEST(state_round_trip_and_corruption)
{
	g_autofree char *dir = g_dir_make_tmp("changes-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "cache", "state", NULL);
	val *t = tree(84, false);
	g_autoptr(manifest) m = files("a");
	g_autoptr(changes_state) s = changes_state_new(t, m);
	ck_assert(changes_state_save(s, file));
	g_autoptr(changes_state) back = changes_state_load(file);
	ck_assert_ptr_nonnull(back);
	g_autofree char *a = changes_report(s, s), *b = changes_report(back, s);
	ck_assert_str_eq(a, b);

	/* Truncated: a warning, and no state. */
	g_autofree char *text = NULL;
	gsize len;
	ck_assert(g_file_get_contents(file, &text, &len, NULL));
	ck_assert(g_file_set_contents(file, text, (gssize)len - 10, NULL));
	diag_capture_begin();
	changes_state *bad = changes_state_load(file);
	g_autofree char *msg = diag_capture_end();
	ck_assert_ptr_null(bad);
	g_autofree char *want = g_strdup_printf("%s: warning: build state is corrupt or not dossier's; "
						"ignored (CHANGES.md compares with nothing)\n", file);
	ck_assert_str_eq(msg, want);
	/* Absent: silence (a first build). */
	g_unlink(file);
	diag_capture_begin();
	ck_assert_ptr_null(changes_state_load(file));
	g_autofree char *none = diag_capture_end();
	ck_assert_str_eq(none, "");
	g_autofree char *sub = g_build_filename(dir, "cache", NULL);
	g_rmdir(sub);
	g_rmdir(dir);
	val_free(t);
}
END_TEST

Suite *
suite_changes(void)
{
	Suite *s = suite_create("changes");
	TCase *tc = tcase_create("changes");
	tcase_add_test(tc, deltas);
	tcase_add_test(tc, report);
	tcase_add_test(tc, state_round_trip_and_corruption);
	suite_add_tcase(s, tc);
	return s;
}
