/* test_record.c - the record of what an output was made from
 * (base/record.h): what base/file.h reads, finds missing or lists goes
 * into the current record on its own; checked again, the record names the
 * first thing that changed, takes a file touched but not changed as
 * unchanged, and survives its text form (names with tabs and line
 * breaks); files under the build's staging folder are found again under
 * the next one.
 */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/record.h"

static char *dir;

static void
setup(void)
{
	dir = g_dir_make_tmp("dossier-record-XXXXXX", NULL);
	ck_assert_ptr_nonnull(dir);
}

static void
teardown(void)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	g_clear_pointer(&dir, g_free);
}

static char *
put(const char *name, const char *text)
{
	char *p = g_build_filename(dir, name, NULL);
	ck_assert(g_file_set_contents(p, text, -1, NULL));
	return p;
}

/* What reading `path` through base/file.h records. */
static record *
read_recorded(const char *path)
{
	record *r = record_new();
	record *was = record_push(r);
	g_autofree char *text = NULL, *why = NULL;
	file_read(path, 1000, &text, NULL, &why);
	record_pop(was);
	ck_assert_ptr_eq(record_current(), was);
	return r;
}

START_TEST(a_file_read_is_recorded_and_checked_again)
{
	g_autofree char *f = put("company.yaml", "name: A\n");
	g_autoptr(record) r = read_recorded(f);
	g_autoptr(record) none = record_new();
	g_autofree char *same = record_changed(r, none, NULL);
	ck_assert_ptr_null(same);
	/* Rewritten with the same bytes: unchanged (its SHA-256 decides). */
	ck_assert(g_file_set_contents(f, "name: A\n", -1, NULL));
	g_autofree char *touched = record_changed(r, none, NULL);
	ck_assert_ptr_null(touched);
	ck_assert(g_file_set_contents(f, "name: B\n", -1, NULL));
	g_autofree char *edited = record_changed(r, none, NULL);
	g_autofree char *want = g_strdup_printf("%s changed", f);
	ck_assert_str_eq(edited, want);
	g_unlink(f);
	g_autofree char *gone = record_changed(r, none, NULL);
	g_autofree char *want_gone = g_strdup_printf("%s was removed", f);
	ck_assert_str_eq(gone, want_gone);
}
END_TEST

START_TEST(missing_files_and_listed_folders_are_inputs)
{
	g_autofree char *missing = g_build_filename(dir, "triggers.yaml", NULL);
	g_autoptr(record) r = read_recorded(missing);	/* an optional file, absent */
	record *was = record_push(r);
	g_autofree char *a = put("a.md", "x");
	g_autoptr(GPtrArray) names = file_list(dir);
	ck_assert(!file_exists(missing));
	record_pop(was);
	g_autoptr(record) none = record_new();
	g_autofree char *same = record_changed(r, none, NULL);
	ck_assert_ptr_null(same);
	/* A new file in the folder listed, then the file looked for. */
	g_autofree char *b = put("b.md", "y");
	g_autofree char *added = record_changed(r, none, NULL);
	g_autofree char *want = g_strdup_printf("%s/b.md is new", dir);
	ck_assert_str_eq(added, want);
	g_unlink(b);
	g_unlink(a);
	g_autofree char *removed = record_changed(r, none, NULL);
	g_autofree char *want_removed = g_strdup_printf("%s/a.md was removed", dir);
	ck_assert_str_eq(removed, want_removed);
	g_autofree char *a2 = put("a.md", "x");
	g_autofree char *t = put("triggers.yaml", "triggers: {}\n");
	g_autofree char *appeared = record_changed(r, none, NULL);
	/* The folder's listing changed first in sorted order: its name. */
	g_autofree char *want_new = g_strdup_printf("%s/triggers.yaml is new", dir);
	ck_assert_str_eq(appeared, want_new);
}
END_TEST

START_TEST(values_are_compared_with_todays)
{
	g_autoptr(record) r = record_new();
	record_value_str(r, "markdown", "# A");
	record_value_str(r, "mark", NULL);
	g_autoptr(record) now = record_new();
	record_value_str(now, "markdown", "# A");
	record_value_str(now, "mark", NULL);
	g_autofree char *same = record_changed(r, now, NULL);
	ck_assert_ptr_null(same);
	record_value_str(now, "mark", "");	/* NULL and "" differ */
	g_autofree char *mark = record_changed(r, now, NULL);
	ck_assert_str_eq(mark, "the value mark changed");
	record_value_str(now, "mark", NULL);
	record_value_str(now, "title", "T");
	g_autofree char *added = record_changed(r, now, NULL);
	ck_assert_str_eq(added, "the value title is new");
}
END_TEST

START_TEST(text_round_trip)
{
	g_autoptr(record) r = record_new();
	g_autofree char *odd = put("tab\there\nand line.png", "z");
	record *was = record_push(r);
	g_autofree char *why = NULL, *sha = file_sha256(odd, NULL, &why);
	record_pop(was);
	record_value_str(r, "part 1 title", "Ti\ttle");
	g_autofree char *text = record_text(r);
	int lines = 0;	/* the tab and line break of the name are escaped */
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 2);
	g_autoptr(record) back = record_parse(text);
	ck_assert_ptr_nonnull(back);
	g_autofree char *again = record_text(back);
	ck_assert_str_eq(text, again);
	g_autoptr(GPtrArray) files = record_files(back);
	ck_assert_uint_eq(files->len, 1);
	ck_assert_str_eq(files->pdata[0], odd);
	ck_assert_ptr_null(record_parse("file\tonly two fields\n"));
	ck_assert_ptr_null(record_parse("nonsense\ta\tb\n"));
}
END_TEST

/* A chart the PDF showed from one staging folder is checked in the next:
 * recorded as "<out>/...", looked up under the folder given. */
START_TEST(files_of_the_staging_folder_move_with_it)
{
	g_autofree char *one = g_build_filename(dir, "one", NULL), *two = g_build_filename(dir, "two", NULL);
	g_mkdir(one, 0755);
	g_mkdir(two, 0755);
	g_autofree char *chart = put("one/mrr.svg", "<svg/>");
	g_autoptr(record) r = record_new();
	record_set_out(r, one);
	record *was = record_push(r);
	g_autofree char *why = NULL, *sha = file_sha256(chart, NULL, &why);
	record_pop(was);
	g_autofree char *text = record_text(r);
	ck_assert_ptr_nonnull(strstr(text, "file\t<out>/mrr.svg\t"));
	g_autoptr(record) back = record_parse(text), none = record_new();
	g_autofree char *chart2 = put("two/mrr.svg", "<svg/>");
	g_autofree char *same = record_changed(back, none, two);
	ck_assert_ptr_null(same);
	ck_assert(g_file_set_contents(chart2, "<svg></svg>", -1, NULL));
	g_autofree char *changed = record_changed(back, none, two);
	g_autofree char *want = g_strdup_printf("%s changed", chart2);
	ck_assert_str_eq(changed, want);
	/* Ignored folders leave nothing; an ignored record merged in neither. */
	g_autoptr(record) build = record_new();
	record_ignore(build, one);
	record_merge_reads(build, r);
	g_autofree char *empty = record_text(build);
	ck_assert_str_eq(empty, "");
}
END_TEST

Suite *
suite_record(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_file_read_is_recorded_and_checked_again);
	tcase_add_test(tc, missing_files_and_listed_folders_are_inputs);
	tcase_add_test(tc, values_are_compared_with_todays);
	tcase_add_test(tc, text_round_trip);
	tcase_add_test(tc, files_of_the_staging_folder_move_with_it);
	suite_add_tcase(s, tc);
	return s;
}
