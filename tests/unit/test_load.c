/* test_load.c - the load stage: YAML to the value tree, the schema check and
 * front matter, with the exact one-line messages a user sees.
 */
#include <check.h>
#include <string.h>

#include "load/content.h"
#include "base/diag.h"
#include "load/yaml.h"
#include "load/schema.h"

/* Load `text`; return the messages it produced (caller frees). */
static char *
load_errors(const char *text, size_t len)
{
	diag_capture_begin();
	val *v = yaml_load_string("f.yaml", text, len);
	char *msgs = diag_capture_end();
	if (*msgs)
		ck_assert_ptr_null(v);
	val_free(v);
	return msgs;
}

#define ck_load_error(text, expected) do { \
	char *m_ = load_errors(text, strlen(text)); \
	ck_assert_str_eq(m_, expected "\n"); \
	g_free(m_); \
} while (0)

START_TEST(positions_and_types)
{
	const char *text = "a: 1\nb: \"2\"\nc:\n  - 1.210\n  - true\n  - ~\nd: 2026-10\n";
	val *v = yaml_load_string("f.yaml", text, strlen(text));
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(val_get(v, "a")->kind, VAL_NUMBER);
	ck_assert_int_eq(val_get(v, "b")->kind, VAL_STRING);
	ck_assert_int_eq(val_get(v, "d")->kind, VAL_STRING);	/* a month stays text */
	val *c = val_get(v, "c");
	ck_assert_int_eq(c->line, 4);
	ck_assert_int_eq(c->col, 3);
	char *t = val_to_text(val_index(c, 0));
	ck_assert_str_eq(t, "1.21");
	g_free(t);
	ck_assert_int_eq(val_index(c, 1)->kind, VAL_BOOL);
	ck_assert_int_eq(val_index(c, 2)->kind, VAL_NULL);
	ck_assert_int_eq(val_get(v, "b")->key_line, 2);
	ck_assert_int_eq(val_get(v, "b")->key_col, 1);
	val_free(v);
}
END_TEST

START_TEST(syntax_errors)
{
	ck_load_error("a: 1\na: 2\n", "f.yaml:2:1: error: duplicate key 'a' (first given at line 1, column 1)");
	ck_load_error("a:\n\tb: 1\n", "f.yaml:2:1: error: tab character in indentation; YAML indents with spaces");
	ck_load_error("a: [1, 2\n",
		      "f.yaml:2:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence");
	ck_load_error("a: \"\xff\"\n", "f.yaml:1:5: error: invalid text: invalid leading UTF-8 octet (the file must be UTF-8)");
	ck_load_error("a: 1\n---\nb: 2\n", "f.yaml:2:1: error: a second YAML document in one file ('---' starts a new one)");
	ck_load_error("a: *nope\n", "f.yaml:1:4: error: alias '*nope' names no anchor defined before it");
	ck_load_error("? [a]\n: 1\n", "f.yaml:1:3: error: mapping keys must be plain words, not lists or mappings");
	/* A BOM is fine; an empty file is null. */
	val *v = yaml_load_string("f.yaml", "\xEF\xBB\xBF" "a: 1\n", 8);
	ck_assert_ptr_nonnull(v);
	val_free(v);
	v = yaml_load_string("f.yaml", "", 0);
	ck_assert_int_eq(v->kind, VAL_NULL);
	val_free(v);
}
END_TEST

START_TEST(limits)
{
	/* Billion laughs: each level doubles ten times; fails on the node bound. */
	GString *s = g_string_new("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 10; i++) {
		g_string_append_printf(s, "a%d: &a%d [", i, i);
		for (int j = 0; j < 10; j++)
			g_string_append_printf(s, "%s*a%d", j ? ", " : "", i - 1);
		g_string_append(s, "]\n");
	}
	char *m = load_errors(s->str, s->len);
	ck_assert_msg(strstr(m, "error: aliases expand to more than 100000 nodes (alias bomb?)"), "%s", m);
	g_free(m);
	g_string_free(s, TRUE);

	GString *deep = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, '[');
	m = load_errors(deep->str, deep->len);
	ck_assert_str_eq(m, "f.yaml:1:66: error: nesting deeper than 64 levels\n");
	g_free(m);
	g_string_free(deep, TRUE);
}
END_TEST

static char *
schema_errors(const char *schema_text, const char *doc_text)
{
	val *schema = yaml_load_string("schema.yaml", schema_text, strlen(schema_text));
	val *doc = yaml_load_string("doc.yaml", doc_text, strlen(doc_text));
	ck_assert_ptr_nonnull(schema);
	ck_assert_ptr_nonnull(doc);
	ck_assert(schema_validate_schema(schema));
	diag_capture_begin();
	bool ok = schema_check(doc, schema, "");
	char *m = diag_capture_end();
	ck_assert(ok == (*m == '\0'));
	val_free(schema);
	val_free(doc);
	return m;
}

#define ck_schema_error(schema, doc, expected) do { \
	char *m_ = schema_errors(schema, doc); \
	ck_assert_str_eq(m_, expected); \
	g_free(m_); \
} while (0)

static const char *company_schema =
	"company:\n"
	"  name: string\n"
	"  mission: text\n"
	"  founded: date\n"
	"  website: url?\n"
	"  legal_type: enum SAS|SA|SRL\n"
	"team:\n"
	"  size: count\n"
	"uptime_percent: percent\n"
	"contacts:\n"
	"  - {role: string, email: email}\n";

START_TEST(schema_messages)
{
	const char *good =
		"company: {name: CampoTech, mission: m, founded: 2023-03-14, legal_type: SAS}\n"
		"team: {size: 12}\nuptime_percent: 99.9\ncontacts: [{role: CTO, email: a@b.co}]\n";
	ck_schema_error(company_schema, good, "");
	ck_schema_error(company_schema,
		"company: {name: CampoTech, mision: m, founded: 2023-03-14, legal_type: SAS}\n"
		"team: {size: 12}\nuptime_percent: 99.9\ncontacts: []\n",
		"doc.yaml:1:28: error: unknown key 'mision' in company (did you mean 'mission'?)\n");
	/* A swap of two letters is one edit: "titel" gets its suggestion. */
	ck_schema_error(company_schema,
		"company: {name: CampoTech, mission: m, founded: 2023-03-14, legal_type: SAS}\n"
		"team: {size: 12}\nuptime_percent: 99.9\ncontacts: []\ntaem: 1\n",
		"doc.yaml:5:1: error: unknown key 'taem' in the file (did you mean 'team'?)\n");
	/* A date of the right form that does not exist says so. */
	ck_schema_error(company_schema,
		"company: {name: CampoTech, mission: m, founded: 2023-13-01, legal_type: SAS}\n"
		"team: {size: 12}\nuptime_percent: 99.9\ncontacts: []\n",
		"doc.yaml:1:49: error: company.founded is \"2023-13-01\": month 13 is out of range, months run from 01 to 12\n");
	ck_schema_error(company_schema,
		"company: {name: C, mission: m, founded: 2023-02-30, legal_type: SAS}\n"
		"team: {size: twelve}\nuptime_percent: 100.5\ncontacts: [{role: CTO, email: nope}]\n",
		"doc.yaml:1:41: error: company.founded is \"2023-02-30\", a date that does not exist: February 2023 has 28 days\n"
		"doc.yaml:2:14: error: team.size must be a whole number of 0 or more, got \"twelve\"\n"
		"doc.yaml:3:17: error: uptime_percent must be a percentage from 0 to 100, got 100.5\n"
		"doc.yaml:4:31: error: contacts[1].email must be an e-mail address, got \"nope\"\n");
	ck_schema_error(company_schema,
		"company: {name: C, mission: m, founded: 2023-02-03, legal_type: LLC}\n"
		"team: {size: -1}\nuptime_percent: .nan\ncontacts: {}\n",
		"doc.yaml:1:65: error: company.legal_type must be one of SAS, SA, SRL, got \"LLC\"\n"
		"doc.yaml:2:14: error: team.size must be a whole number of 0 or more, got -1\n"
		"doc.yaml:3:17: error: uptime_percent must be a finite number, got .nan\n"
		"doc.yaml:4:11: error: contacts must be a list, got a mapping\n");
}
END_TEST

START_TEST(front_matter)
{
	const char *body;
	int line;
	const char *ok = "---\ntitle: A\n---\n# Body\n";
	val *fm = content_front_matter("c.md", ok, strlen(ok), &body, &line);
	ck_assert_ptr_nonnull(fm);
	ck_assert_str_eq(body, "# Body\n");
	ck_assert_int_eq(line, 4);
	ck_assert_int_eq(val_get(fm, "title")->line, 2);
	val_free(fm);

	struct { const char *text, *msg; } bad[] = {
		{ "# No front matter\n", "c.md:1:1: error: missing front matter: the file must start with a '---' line, then YAML (title, client, ...), then '---'\n" },
		{ "---\ntitle: A\n# Body\n", "c.md:1:1: error: front matter opened here is never closed with a '---' line\n" },
		{ "---\n- a\n- b\n---\nbody\n", "c.md:2:1: error: front matter must be a mapping of keys to values, got a list\n" },
		{ "---\ntitle: [A\n---\nbody\n", "c.md:3:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence\n" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		diag_capture_begin();
		fm = content_front_matter("c.md", bad[i].text, strlen(bad[i].text), &body, &line);
		char *m = diag_capture_end();
		ck_assert_ptr_null(fm);
		ck_assert_str_eq(m, bad[i].msg);
		g_free(m);
	}
}
END_TEST

/* Names that stand for a content file but are never read as one. */
START_TEST(leftovers)
{
	struct { const char *name, *why, *core; } cases[] = {
		{ "gas.md~", "a backup copy of %s", "gas.md" },
		{ "gas.md.bak", "a backup copy of %s", "gas.md" },
		{ "gas.md.orig", "a backup copy of %s", "gas.md" },
		{ ".gas.md~", "a backup copy of %s", "gas.md" },
		{ "#gas.md#", "an editor's auto-save file for %s", "gas.md" },
		{ ".#gas.md", "an editor's lock file for %s", "gas.md" },
		{ ".~lock.gas.md#", "an editor's lock file for %s", "gas.md" },
		{ ".gas.md.swp", "an editor's swap file for %s", "gas.md" },
		{ ".gas.md.swo", "an editor's swap file for %s", "gas.md" },
		{ ".gas.md.kate-swp", "an editor's swap file for %s", "gas.md" },
		{ ".2026-10.yaml", "a hidden file (its name starts with '.')", "2026-10.yaml" },
		{ "gas.md", NULL, NULL },
		{ "gas.MD", NULL, NULL },
		{ "~", NULL, NULL },
		{ "#", NULL, NULL },
		{ "gas.swp", NULL, NULL },	/* not hidden: not Vim's */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *core = (char *)"unset";
		const char *why = content_leftover(cases[i].name, &core);
		if (cases[i].why) {
			ck_assert_msg(why && !strcmp(why, cases[i].why), "%s: %s", cases[i].name, why ? why : "NULL");
			ck_assert_str_eq(core, cases[i].core);
		} else {
			ck_assert_msg(!why, "%s: %s", cases[i].name, why);
			ck_assert_ptr_null(core);
		}
		g_free(core);
	}
}
END_TEST

START_TEST(suggestions)
{
	const char *const words[] = { "mission", "founded", "website", NULL };
	ck_assert_str_eq(diag_suggest("mision", words), "mission");
	ck_assert_str_eq(diag_suggest("webiste", words), "website");
	ck_assert_ptr_null(diag_suggest("zzz", words));
}
END_TEST

static char *
digest_of_yaml(const char *file, const char *text)
{
	val *v = yaml_load_string(file, text, strlen(text));
	ck_assert_ptr_nonnull(v);
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	val_digest(v, c);
	char *d = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	val_free(v);
	return d;
}

/* val_digest(): the data, not where it came from; any change of value,
 * kind, key or order shows (what keeps or rewrites the spreadsheet). */
START_TEST(digest_of_values)
{
	g_autofree char *a = digest_of_yaml("a.yaml", "x: 1\ny: [a, b]\nz: {k: true}\n");
	g_autofree char *b = digest_of_yaml("b.yaml", "\nx: 1.0\ny: [a, b]\nz: {k: true}\n");
	ck_assert_str_eq(a, b);		/* another file, another line, the same number */
	const char *other[] = {
		"x: 1.0000001\ny: [a, b]\nz: {k: true}\n", "x: '1'\ny: [a, b]\nz: {k: true}\n",
		"x: 1\ny: [b, a]\nz: {k: true}\n",    "x: 1\ny: [ab]\nz: {k: true}\n",
		"x: 1\ny: [a, b]\nz: {k: false}\n",   "x: 1\ny: [a, b]\nz: {K: true}\n",
		"y: [a, b]\nx: 1\nz: {k: true}\n",    "x: 1\ny: [a, b]\nz: {k: true, l: null}\n",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(other); i++) {
		g_autofree char *d = digest_of_yaml("a.yaml", other[i]);
		ck_assert_msg(strcmp(a, d) != 0, "same digest for: %s", other[i]);
	}
}
END_TEST

Suite *
suite_load(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("yaml");
	tcase_add_test(tc, positions_and_types);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, digest_of_values);
	tcase_add_test(tc, schema_messages);
	tcase_add_test(tc, front_matter);
	tcase_add_test(tc, suggestions);
	tcase_add_test(tc, leftovers);
	suite_add_tcase(s, tc);
	return s;
}
