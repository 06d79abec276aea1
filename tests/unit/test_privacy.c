/* test_privacy.c - personal data found in case studies, and only that. */
#include <check.h>
#include <string.h>

#include "base/diag.h"
#include "load/yaml.h"
#include "load/privacy.h"

static char *
found(const char *text)
{
	gsize off, len;
	const char *kind = privacy_find(text, &off, &len);
	return kind ? g_strdup_printf("%s: %.*s", kind, (int)len, text + off) : g_strdup("none");
}

#define ck_found(text, expected) do { \
	char *f_ = found(text); \
	ck_assert_str_eq(f_, expected); \
	g_free(f_); \
} while (0)

START_TEST(phones_and_emails)
{
	ck_found("Call +54 9 351 555-1234 today", "phone number: +54 9 351 555-1234");
	ck_found("Tel. (0351) 15-555-1234.", "phone number: (0351) 15-555-1234");
	ck_found("office 011 4555-1234", "phone number: 011 4555-1234");
	ck_found("mobile 351-555-1234", "phone number: 351-555-1234");
	ck_found("US: +1 415 555 0100", "phone number: +1 415 555 0100");
	ck_found("wa 3515551234", "phone number: 3515551234");
	ck_found("write to ana.gomez@plomeria-gomez.com.ar please", "e-mail address: ana.gomez@plomeria-gomez.com.ar");
	/* Not personal data. */
	ck_found("On 2026-10-21 we handled 46,820 messages for $1,873.50", "none");
	ck_found("uptime 99.94%, 2023 - 2026, client C-001, 1,200 messages, v2.3.1", "none");
	ck_found("rate $0.0350 per message; 12,500,000 messages", "none");
}
END_TEST

static val *
case_study(const char *fm, const char *body)
{
	val *cs = yaml_load_string("cs.md", fm, strlen(fm));
	ck_assert_ptr_nonnull(cs);
	val_set_string(cs, "body", body);
	val_set_number(cs, "body_line", 5);
	val_set_string(cs, "file", "cs.md");
	return cs;
}

START_TEST(scan_reports_line_and_column)
{
	val *cs = case_study("---\ntitle: A story\n",
			     "# Results\n\nThe owner, reachable at +54 9 351 555-1234, said so.\n");
	diag_capture_begin();
	ck_assert(!privacy_scan_case_study(cs));
	char *m = diag_capture_end();
	ck_assert_str_eq(m, "cs.md:7:25: error: phone number '+54 9 351 555-1234' in a case study: "
			    "remove or anonymize it before it goes to Meta\n");
	g_free(m);
	val_free(cs);
}
END_TEST

START_TEST(private_names)
{
	val *cs = case_study("---\ntitle: How Plomería Gómez grew\n"
			     "private:\n  - {name: Plomería Gómez, alias: Client A}\n  - {name: Ana Gómez}\n",
			     "Plomería Gómez answers in minutes.\nAna Gómez, the owner, agrees.\n");
	diag_capture_begin();
	ck_assert(!privacy_scan_case_study(cs));
	char *m = diag_capture_end();
	ck_assert_str_eq(m, "cs.md:6:1: error: 'Ana Gómez' is declared private in the front matter; "
			    "give it an alias or remove it\n");
	g_free(m);
	val_free(cs);

	cs = case_study("---\ntitle: How Plomería Gómez grew\n"
			"private:\n  - {name: Plomería Gómez, alias: Client A}\n",
			"Plomería Gómez answers in minutes.\n");
	ck_assert(privacy_scan_case_study(cs));
	ck_assert_str_eq(val_get(cs, "title")->str, "How Client A grew");
	ck_assert_str_eq(val_get(cs, "body")->str, "Client A answers in minutes.\n");
	val_free(cs);
}
END_TEST

Suite *
suite_privacy(void)
{
	Suite *s = suite_create("privacy");
	TCase *tc = tcase_create("scan");
	tcase_add_test(tc, phones_and_emails);
	tcase_add_test(tc, scan_reports_line_and_column);
	tcase_add_test(tc, private_names);
	suite_add_tcase(s, tc);
	return s;
}
