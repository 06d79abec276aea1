/* test_obligations.c - OUT/obligations.ics read back by libical: the calendar a
 * build of the example writes (with a certificate's expiry and a Data Use
 * Checkup added to its content) parses, passes libical's checks of RFC 5545,
 * and holds one event per obligation on the content's dates.
 */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libical/ical.h>

#include "base/diag.h"
#include "pipeline/pipeline.h"
#include "write/write.h"

/* A copy of the example with `from` replaced by `to` in company.yaml and
 * `extra` appended to meta.yaml. */
static char *
example_copy(const char *from, const char *to, const char *extra)
{
	char *dir = g_dir_make_tmp("dossier-ics-XXXXXX", NULL);
	g_autofree char *cmd = g_strdup_printf("cp -R fixtures/campotech %s/content", dir);
	int status = 0;
	ck_assert(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL) && status == 0);
	g_autofree char *company = g_build_filename(dir, "content", "company.yaml", NULL);
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(company, &text, NULL, NULL));
	ck_assert_ptr_nonnull(strstr(text, from));
	g_auto(GStrv) parts = g_strsplit(text, from, 2);
	g_autofree char *edited = g_strjoin(to, parts[0], parts[1], NULL);
	ck_assert(g_file_set_contents(company, edited, -1, NULL));
	g_autofree char *meta = g_build_filename(dir, "content", "meta.yaml", NULL);
	g_autofree char *m = NULL;
	ck_assert(g_file_get_contents(meta, &m, NULL, NULL));
	g_autofree char *m2 = g_strconcat(m, extra, NULL);
	ck_assert(g_file_set_contents(meta, m2, -1, NULL));
	return dir;
}

START_TEST(calendar_parses_with_libical)
{
	g_autofree char *dir = example_copy("      target: \"first quarter of 2027\"\n",
					    "      target: \"first quarter of 2027\"\n      expires: 2027-03-31\n",
					    "  data_use_checkup: 2026-02-16\n");
	g_autofree char *content = g_build_filename(dir, "content", NULL);
	pipeline_opts po = { 0 };
	diag_reset();
	diag_capture_begin();
	package_rendered *pl = pipeline_run_opts(content, "../templates", &po);
	g_free(diag_capture_end());
	ck_assert_ptr_nonnull(pl);

	write_opts wo = { 0 };
	write_stats ws = { 0 };
	WriteCtx ctx = { .pl = pl, .stage = dir, .opts = &wo, .stats = &ws };
	ck_assert(obligations_write(&ctx));
	g_autofree char *path = g_build_filename(dir, "obligations.ics", NULL);
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));

	icalcomponent *cal = icalparser_parse_string(text);
	ck_assert_ptr_nonnull(cal);
	ck_assert_int_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	ck_assert_int_eq(icalcomponent_count_errors(cal), 0);
	ck_assert(icalrestriction_check(cal));
	ck_assert_int_eq(icalcomponent_count_errors(cal), 0);

	/* The events, in date order: Embedded Signup v2, the Data Use Checkup
	 * a year after the last one, the certificate's expiry. */
	static const struct { const char *summary; int y, m, d; } want[] = {
		{ "Embedded Signup v2 is deprecated: integrations move to v4", 2026, 10, 15 },
		{ "Annual Data Use Checkup, with the data handling questions", 2027, 2, 16 },
		{ "SOC 2 Type I certificate expires", 2027, 3, 31 },
	};
	ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), G_N_ELEMENTS(want));
	guint i = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), i++) {
		ck_assert_str_eq(icalcomponent_get_summary(ev), want[i].summary);
		struct icaltimetype start = icalcomponent_get_dtstart(ev);
		ck_assert(start.is_date);
		ck_assert_int_eq(start.year, want[i].y);
		ck_assert_int_eq(start.month, want[i].m);
		ck_assert_int_eq(start.day, want[i].d);
		struct icaltimetype stamp = icalcomponent_get_dtstamp(ev);	/* the build date, not the clock */
		ck_assert_int_eq(stamp.year, 2026);
		ck_assert_int_eq(stamp.month, 10);
		ck_assert_int_eq(stamp.day, 31);
		ck_assert_int_eq(icalcomponent_count_components(ev, ICAL_VALARM_COMPONENT), 1);
	}
	icalproperty *rrule = icalcomponent_get_first_property(
		icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT), ICAL_RRULE_PROPERTY);
	ck_assert_ptr_null(rrule);	/* a deprecation does not recur */
	icalcomponent_free(cal);

	pipeline_free(pl);
	g_autofree char *rm = g_strdup_printf("rm -rf %s", dir);
	ck_assert(g_spawn_command_line_sync(rm, NULL, NULL, NULL, NULL));
	diag_reset();
}
END_TEST

Suite *
suite_obligations(void)
{
	Suite *s = suite_create("obligations");
	TCase *tc = tcase_create("calendar");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, calendar_parses_with_libical);
	suite_add_tcase(s, tc);
	return s;
}
