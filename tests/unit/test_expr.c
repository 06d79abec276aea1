/* test_expr.c - the gate expressions of templates/programme.yaml (derive/expr.h):
 * what they compute against a data tree, the terms `dossier check` shows,
 * and the exact, located message for each kind of mistake.
 */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "base/diag.h"
#include "derive/expr.h"
#include "load/yaml.h"

static char *tmp_dir;

/* `text` written as a file (so that locations can be checked) and loaded. */
static val *
yaml_file(const char *name, const char *text)
{
	if (!tmp_dir)
		tmp_dir = g_dir_make_tmp("dossier-expr-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(tmp_dir, name, NULL);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
	val *v = yaml_load_file(path);
	ck_assert_ptr_nonnull(v);
	return v;
}

/* The error parsing `when` gives (the file name replaced by F). */
static char *
parse_error(const char *yaml_text)
{
	g_autoptr(val) doc = yaml_file("gate.yaml", yaml_text);
	diag_reset();
	diag_capture_begin();
	expr *e = expr_parse(val_get(doc, "when"));
	char *msgs = diag_capture_end();
	ck_assert_ptr_null(e);
	g_autofree char *prefix = g_build_filename(tmp_dir, "gate.yaml", NULL);
	char *at = strstr(msgs, prefix);
	ck_assert_ptr_nonnull(at);
	char *out = g_strdup_printf("F%s", at + strlen(prefix));
	g_strchomp(out);
	g_free(msgs);
	diag_reset();
	return out;
}

#define ck_error(yaml_text, expected) do { \
	char *got_ = parse_error(yaml_text); \
	ck_assert_str_eq(got_, expected); \
	g_free(got_); \
} while (0)

START_TEST(syntax_errors_are_located)
{
	ck_error("when: \"messages >= \"\n",
		 "F:1:20: error: expected a number, a string, a name or '(', got the end of the expression");
	ck_error("when: avg(daily.messages 7) >= 2500\n",
		 "F:1:26: error: expected ',' or ')' in the call of avg(), got '7)'");
	ck_error("when: 'avrg(daily.messages, 7) >= 2500'\n",
		 "F:1:8: error: unknown function avrg() (did you mean avg()?)");
	ck_error("when: \"messages = 2500\"\n",
		 "F:1:17: error: '=' is not a comparison: write '==' (or '>=', '<=')");
	ck_error("when: \"avg(daily.messages) >= 1\"\n",
		 "F:1:8: error: avg() takes two arguments: avg(SERIES, DAYS): the average of the last DAYS days");
	ck_error("when: \"messages >= 2500 clients\"\n",
		 "F:1:25: error: expected 'and', 'or', a comparison or the end of the condition, got 'clients'");
	ck_error("when: \"quality_rating == 'high\"\n",
		 "F:1:26: error: a string opened here is never closed (with ')");
	ck_error("when: \"(messages >= 1\"\n",
		 "F:1:22: error: expected ')' to close the '(' at column 1 of the expression, got the end of the expression");
	ck_error("when: \"2.5.1 > 1\"\n",
		 "F:1:8: error: '2.5.1' is not a number (write 2500, 2_500 or 99.9)");
	/* Inside a folded block scalar: the line and column in the file. */
	ck_error("when: >-\n  avg(daily.messages, 7) >= 2500\n  or bogus(1)\n",
		 "F:3:6: error: unknown function bogus(): the functions are avg, sum, min, max, count, present, if and met");
	ck_error("when: |\n  messages >= 1 and\n    (calls >= 1 and\n     nope())\n",
		 "F:4:6: error: unknown function nope(): the functions are avg, sum, min, max, count, present, if and met");
	ck_error("when: \"\"\n", "F:1:7: error: the condition is empty");
	ck_error("when: 12\n", "F:1:7: error: a condition is written as text, got a number");
}
END_TEST

/* A latest snapshot with 10 days of figures, a client list and a rating. */
static const char *tree_yaml =
	"latest:\n"
	"  messages: 46820\n"
	"  uptime_percent: 99.94\n"
	"  quality_rating: high\n"
	"  clients: [{id: A, messages: 5}, {id: B, messages: 0}, {id: C, messages: 12}]\n"
	"  daily:\n"
	"    - {date: 2026-10-01, messages: 100, calls: 1}\n"
	"    - {date: 2026-10-02, messages: 200, calls: 2}\n"
	"    - {date: 2026-10-03, messages: 300}\n"
	"    - {date: 2026-10-04, messages: 400}\n"
	"    - {date: 2026-10-05, messages: 500}\n"
	"    - {date: 2026-10-06, messages: 600}\n"
	"    - {date: 2026-10-07, messages: 700}\n"
	"    - {date: 2026-10-08, messages: 800}\n"
	"    - {date: 2026-10-09, messages: 900}\n"
	"    - {date: 2026-10-10, messages: 1000}\n"
	"estimate:\n"
	"  daily: [{date: 2026-10-01, messages: 1510, estimated: true}, {date: 2026-10-02, messages: 1510, estimated: true}]\n"
	"triggers: {monthly_messages: 50000, uptime_percent: 99.9, rule: {name: clients_or_cost}}\n"
	"meta: {business_verification: 2026-09-01}\n";

static bool
other_path(void *ud, const char *id, bool *met)
{
	(void)ud;
	if (strcmp(id, "tech-provider"))
		return false;
	*met = true;
	return true;
}

typedef struct {
	bool met;
	val *terms;
	char *error;
} outcome;

static outcome
run(const char *when)
{
	g_autoptr(val) tree = yaml_file("tree.yaml", tree_yaml);
	g_autofree char *src = g_strdup_printf("when: '%s'\n", when);
	g_autoptr(val) doc = yaml_file("gate.yaml", src);
	diag_reset();
	diag_capture_begin();
	outcome o = { .terms = val_new_list() };
	expr *e = expr_parse(val_get(doc, "when"));
	expr_env env = { .root = tree, .scope = val_get(tree, "latest"), .path_met = other_path };
	bool ok = e && expr_eval_gate(e, &env, &o.met, o.terms);
	char *msgs = diag_capture_end();
	o.error = ok ? NULL : g_strdup(strstr(msgs, "error:"));
	if (o.error)
		g_strchomp(o.error);
	g_free(msgs);
	expr_free(e);
	diag_reset();
	return o;
}

static const char *
term(const outcome *o, guint i, const char *key)
{
	const val *v = val_get(val_index(o->terms, i), key);
	ck_assert_ptr_nonnull(v);
	return v->kind == VAL_STRING ? v->str : v->kind == VAL_NULL ? "null" : v->b ? "true" : "false";
}

START_TEST(comparisons_and_terms)
{
	outcome o = run("messages >= triggers.monthly_messages");
	ck_assert(!o.met);
	ck_assert_uint_eq(val_len(o.terms), 1);
	ck_assert_str_eq(term(&o, 0, "label"), "Messages");
	ck_assert_str_eq(term(&o, 0, "current_text"), "46,820");
	ck_assert_str_eq(term(&o, 0, "target_text"), "50,000+");
	val_free(o.terms);

	o = run("uptime_percent >= triggers.uptime_percent");	/* a percentage target reads short */
	ck_assert(o.met);
	ck_assert_str_eq(term(&o, 0, "current_text"), "99.94%");
	ck_assert_str_eq(term(&o, 0, "target_text"), "99.9%+");
	val_free(o.terms);

	o = run("quality_rating == \"high\" and present(meta.business_verification)");
	ck_assert(o.met);
	ck_assert_uint_eq(val_len(o.terms), 2);
	ck_assert_str_eq(term(&o, 1, "current_text"), "2026-09-01");
	ck_assert_str_eq(term(&o, 1, "target_text"), "given");
	val_free(o.terms);

	o = run("(messages - 46000) * 2 > 1000 and not (messages < 10)");	/* 820 * 2 = 1,640 */
	ck_assert(o.met);
	val_free(o.terms);
}
END_TEST

START_TEST(unknown_figures_are_three_valued)
{
	/* calls is missing on most days, meta.app_review altogether. */
	outcome o = run("meta.app_review >= 1 or messages >= 1");
	ck_assert(o.met);				/* unknown or true */
	ck_assert_str_eq(term(&o, 0, "current_text"), "no figure (meta.app_review is not in the content)");
	ck_assert_str_eq(term(&o, 0, "known"), "false");
	val_free(o.terms);
	o = run("meta.app_review >= 1 and messages >= 1");
	ck_assert(!o.met);				/* unknown and true */
	val_free(o.terms);
	o = run("not (meta.app_review >= 1)");
	ck_assert(!o.met);				/* not unknown */
	val_free(o.terms);
	o = run("present(meta.app_review)");
	ck_assert(!o.met);
	ck_assert_str_eq(term(&o, 0, "current_text"), "not given");
	val_free(o.terms);
}
END_TEST

START_TEST(windows_over_daily_figures)
{
	outcome o = run("avg(daily.messages, 3) >= 900");	/* (800 + 900 + 1000) / 3 = 900 */
	ck_assert(o.met);
	ck_assert_str_eq(term(&o, 0, "label"), "messages a day (3-day average)");
	ck_assert_str_eq(term(&o, 0, "current_text"), "900");
	ck_assert_str_eq(term(&o, 0, "note"), "3-day average, 8\xE2\x80\x93" "10 October 2026");
	ck_assert_str_eq(term(&o, 0, "estimated"), "false");
	val_free(o.terms);

	o = run("sum(daily.messages, 7) > 4000");		/* 400 + ... + 1000 = 4,900 */
	ck_assert(o.met);
	ck_assert_str_eq(term(&o, 0, "current_text"), "4,900");
	val_free(o.terms);

	o = run("max(daily.messages, 2) == 1000 and min(daily.messages, 10) == 100");
	ck_assert(o.met);
	val_free(o.terms);

	/* Calls are given on two days only, both outside the last 7. */
	o = run("avg(daily.calls, 7) >= 200");
	ck_assert(!o.met);
	ck_assert_str_eq(term(&o, 0, "current_text"), "no figure (no calls in the daily figures)");
	val_free(o.terms);
	o = run("avg(daily.calls, 10) >= 1");		/* (1 + 2) / 2 days that have it */
	ck_assert(o.met);
	ck_assert_str_eq(term(&o, 0, "note"),
			 "average of the 2 days with figures in 1\xE2\x80\x93" "10 October 2026 (10-day window)");
	val_free(o.terms);

	o = run("avg(estimate.daily.messages, 7) >= 2500");
	ck_assert(!o.met);
	ck_assert_str_eq(term(&o, 0, "current_text"), "1,510");
	ck_assert_str_eq(term(&o, 0, "note"), "estimated from the monthly total");
	ck_assert_str_eq(term(&o, 0, "estimated"), "true");
	val_free(o.terms);
}
END_TEST

START_TEST(lists_rules_and_paths)
{
	outcome o = run("count(clients, messages >= 1) >= 2");	/* A and C */
	ck_assert(o.met);
	ck_assert_uint_eq(val_len(o.terms), 1);			/* the condition inside is not a term */
	ck_assert_str_eq(term(&o, 0, "label"), "clients with messages >= 1");
	ck_assert_str_eq(term(&o, 0, "current_text"), "2");
	val_free(o.terms);

	o = run("if(triggers.rule.name == \"clients_and_cost\", messages >= 1 and uptime_percent >= 100, "
		"messages >= 1 or uptime_percent >= 100)");
	ck_assert(o.met);
	ck_assert_uint_eq(val_len(o.terms), 2);			/* the rule's name is not a term */
	val_free(o.terms);

	o = run("met(\"tech-provider\") and count(clients) == 3");
	ck_assert(o.met);
	val_free(o.terms);
}
END_TEST

START_TEST(type_errors_are_located)
{
	outcome o = run("quality_rating >= 2");
	ck_assert_str_eq(o.error, "error: cannot compare a string with a number using >=");
	g_free(o.error);
	val_free(o.terms);
	o = run("avg(messages, 7) > 1");
	ck_assert_str_eq(o.error, "error: avg() needs a daily series, like daily.messages (a list and a field of its items), got a number");
	g_free(o.error);
	val_free(o.terms);
	o = run("avg(daily.messages, 0) > 1");
	ck_assert_str_eq(o.error, "error: avg()'s window is a whole number of days from 1 to 366");
	g_free(o.error);
	val_free(o.terms);
	o = run("met(\"solution-partner\")");
	ck_assert_str_eq(o.error, "error: met(\"solution-partner\"): no path of that id comes before this one in the file");
	g_free(o.error);
	val_free(o.terms);
	o = run("messages");
	ck_assert_str_eq(o.error, "error: a condition must be true or false, got a number");
	g_free(o.error);
	val_free(o.terms);
}
END_TEST

static void
cleanup(void)
{
	if (!tmp_dir)
		return;
	g_autofree char *a = g_build_filename(tmp_dir, "gate.yaml", NULL);
	g_autofree char *b = g_build_filename(tmp_dir, "tree.yaml", NULL);
	g_unlink(a);
	g_unlink(b);
	g_rmdir(tmp_dir);
	g_clear_pointer(&tmp_dir, g_free);
}

Suite *
suite_expr(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("gates");
	tcase_add_unchecked_fixture(tc, NULL, cleanup);
	tcase_add_test(tc, syntax_errors_are_located);
	tcase_add_test(tc, comparisons_and_terms);
	tcase_add_test(tc, unknown_figures_are_three_valued);
	tcase_add_test(tc, windows_over_daily_figures);
	tcase_add_test(tc, lists_rules_and_paths);
	tcase_add_test(tc, type_errors_are_located);
	suite_add_tcase(s, tc);
	return s;
}
