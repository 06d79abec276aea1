/* test_tmpl.c - the render stage's Mustache engine beyond the spec.
 *
 * test_mustache_spec.c holds the engine to the Mustache spec; this file
 * holds what the spec leaves to us and a user would notice: the exact
 * located messages of strict mode and of syntax errors, the bound on
 * recursive partials, missing partials, standalone lines with CRLF, the
 * directory loader of `dossier render --partials` and the package build.
 */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "base/diag.h"
#include "load/yaml.h"
#include "render/tmpl.h"

/* Partials of a test, from a YAML map; their file is NAME.mustache. */
static char *
map_load(void *ud, const char *name, char **file_out)
{
	const val *p = val_get(ud, name);

	if (!p || p->kind != VAL_STRING)
		return NULL;
	*file_out = g_strdup_printf("%s.mustache", name);
	return g_strdup(p->str);
}

/* Render `text` (as t.mustache) with the YAML `data` and the YAML map of
 * `partials` (either may be NULL).  Returns the output or NULL; *msgs gets
 * the messages, which the caller frees. */
static char *
render(const char *text, const char *data, const char *partials, bool strict, char **msgs)
{
	val *d = data ? yaml_load_string("d.yaml", data, strlen(data)) : NULL;
	val *p = partials ? yaml_load_string("p.yaml", partials, strlen(partials)) : NULL;
	tmpl_opts opts = { .strict = strict, .load = map_load, .load_ud = p };

	ck_assert(!data || d);
	ck_assert(!partials || p);
	diag_capture_begin();
	char *out = tmpl_render_string("t.mustache", text, d, &opts);
	*msgs = diag_capture_end();
	val_free(d);
	val_free(p);
	return out;
}

/* Renders without a message, to `expected`. */
#define ck_render(text, data, partials, strict, expected) do { \
	char *m_; \
	char *o_ = render(text, data, partials, strict, &m_); \
	ck_assert_str_eq(m_, ""); \
	ck_assert_ptr_nonnull(o_); \
	ck_assert_str_eq(o_, expected); \
	g_free(o_); \
	g_free(m_); \
} while (0)

/* Fails with exactly the messages `expected`. */
#define ck_render_error(text, data, partials, strict, expected) do { \
	char *m_; \
	char *o_ = render(text, data, partials, strict, &m_); \
	ck_assert_ptr_null(o_); \
	ck_assert_str_eq(m_, expected); \
	g_free(m_); \
} while (0)

/* tmpl_parse fails with the one message `expected` (no newline). */
#define ck_syntax_error(text, expected) do { \
	diag_capture_begin(); \
	tmpl *t_ = tmpl_parse("t.mustache", text); \
	char *m_ = diag_capture_end(); \
	ck_assert_ptr_null(t_); \
	ck_assert_str_eq(m_, expected "\n"); \
	g_free(m_); \
} while (0)

START_TEST(strict_missing_value_is_located)
{
	ck_render_error("Hello,\n  {{who}}!\n", "{}", NULL, true,
			"t.mustache:2:3: error: no value for 'who'\n");
	ck_render_error("{{#a}}\n{{&a.b}} {{{c.d}}}\n{{/a}}", "a: {c: 1}", NULL, true,
			"t.mustache:2:1: error: no value for 'a.b'\n"
			"t.mustache:2:10: error: no value for 'c.d'\n");
	/* Columns count characters, not bytes. */
	ck_render_error("Muñoz {{x}}", "{}", NULL, true, "t.mustache:1:7: error: no value for 'x'\n");
	/* Once per tag, not once per list item. */
	ck_render_error("{{#items}}{{x}}{{/items}}", "items: [1, 2, 3]", NULL, true,
			"t.mustache:1:11: error: no value for 'x'\n");
	ck_render_error("{{list}}", "list: [1]", NULL, true,
			"t.mustache:1:1: error: 'list' is a list, not text "
			"(use a section: {{#list}}...{{/list}})\n");
}
END_TEST

START_TEST(strict_sections_over_missing_names_are_false)
{
	ck_render("{{#opt}}yes{{/opt}}{{^opt}}no{{/opt}}", "{}", NULL, true, "no");
	ck_render("{{#a.b}}yes{{/a.b}}{{^a.b}}no{{/a.b}}", "a: {}", NULL, true, "no");
	/* A present null is a value: it renders as nothing. */
	ck_render("[{{n}}]", "n: null", NULL, true, "[]");
}
END_TEST

START_TEST(not_strict_follows_the_spec)
{
	ck_render("[{{x}}][{{a.b}}][{{>nope}}][{{<nope}}{{/nope}}]", "a: 1", NULL, false, "[][][][]");
	ck_render("{{n}} {{f}} {{t}} {{z}}.", "n: 85\nf: 1.5\nt: true\nz: null", NULL, false,
		  "85 1.5 true .");
	ck_render("{{x}}|{{{x}}}", "x: '<a href=\"q\">&''</a>'", NULL, false,
		  "&lt;a href=&quot;q&quot;&gt;&amp;'&lt;/a&gt;|<a href=\"q\">&'</a>");
	/* No data at all. */
	g_autofree char *out = tmpl_render_string("t.mustache", "[{{x}}{{.}}]", NULL, NULL);
	ck_assert_str_eq(out, "[]");
}
END_TEST

START_TEST(syntax_errors_are_located)
{
	ck_syntax_error("{{#a}}\n  {{#b}}x",
			"t.mustache:2:10: error: unclosed section 'b' opened at 2:3");
	ck_syntax_error("a\n  {{#x}}\n\n{{/y}}",
			"t.mustache:4:1: error: '{{/y}}' closes section 'x' opened at 2:3");
	ck_syntax_error("{{=<% %>=}}<%#a%>\n<%/ b %>",
			"t.mustache:2:1: error: '<%/ b %>' closes section 'a' opened at 1:12");
	ck_syntax_error("{{<p}}{{$b}}x{{/p}}",
			"t.mustache:1:14: error: '{{/p}}' closes block 'b' opened at 1:7");
	ck_syntax_error("{{<p}}\n", "t.mustache:2:1: error: unclosed parent 'p' opened at 1:1");
	ck_syntax_error("x\n{{/x}}", "t.mustache:2:1: error: '{{/x}}' closes nothing: no section is open");
	ck_syntax_error("{{=a b c=}}",
			"t.mustache:1:1: error: bad delimiters '{{=a b c=}}': give two delimiters, "
			"without spaces or '=' in them, such as {{=<% %>=}}");
	ck_syntax_error("x {{}}", "t.mustache:1:3: error: empty tag '{{}}'");
	ck_syntax_error("{{# }}", "t.mustache:1:1: error: empty tag '{{# }}'");
	ck_syntax_error("{{>*}}", "t.mustache:1:1: error: empty tag '{{>*}}'");
	ck_syntax_error("{{a b}}", "t.mustache:1:1: error: space inside the name of tag '{{a b}}'");
	ck_syntax_error("{{a\nb}}", "t.mustache:1:1: error: space inside the name of tag '{{a...'");
	ck_syntax_error("ab\ncd {{x", "t.mustache:2:4: error: unclosed tag: no '}}' after '{{'");
	ck_syntax_error("{{{x}}", "t.mustache:1:1: error: unclosed tag: no '}}}' after '{{{'");
	ck_syntax_error("é {{#a}}", "t.mustache:1:9: error: unclosed section 'a' opened at 1:3");
	/* The first error in the text wins, whichever pass finds it. */
	ck_syntax_error("{{/x}} {{", "t.mustache:1:1: error: '{{/x}}' closes nothing: no section is open");
	ck_syntax_error("{{#x}} {{", "t.mustache:1:8: error: unclosed tag: no '}}' after '{{'");
}
END_TEST

START_TEST(nesting_is_bounded)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (int i = 0; i <= TMPL_MAX_NEST; i++)
		g_string_append(s, "{{#a}}");
	diag_capture_begin();
	tmpl *t = tmpl_parse("t.mustache", s->str);
	g_autofree char *m = diag_capture_end();
	ck_assert_ptr_null(t);
	g_autofree char *want = g_strdup_printf("t.mustache:1:%d: error: sections nest deeper than %d levels\n",
						6 * TMPL_MAX_NEST + 1, TMPL_MAX_NEST);
	ck_assert_str_eq(m, want);
}
END_TEST

START_TEST(recursive_partials_are_bounded)
{
	ck_render_error("{{>p}}", "{}", "p: 'x{{>p}}'", false,
			"p.mustache:1:2: error: partial 'p' nests deeper than 200 levels (recursive partial?)\n");
	ck_render_error("{{<p}}{{/p}}", "{}", "p: '{{<p}}{{/p}}'", false,
			"p.mustache:1:1: error: partial 'p' nests deeper than 200 levels (recursive partial?)\n");
	ck_render_error("{{<p}}{{$a}}x{{$a}}y{{/a}}{{/a}}{{/p}}", "{}", "p: '{{$a}}{{/a}}'", false,
			"t.mustache:1:14: error: block 'a' nests deeper than 200 levels (recursive block?)\n");
	/* Recursion that the data ends is fine, even deep. */
	g_autoptr(GString) data = g_string_new("n:");
	for (int i = 0; i < 60; i++)
		g_string_append(data, " {n:");
	g_string_append(data, " false");
	for (int i = 0; i < 60; i++)
		g_string_append(data, "}");
	g_autoptr(GString) want = g_string_new(NULL);
	for (int i = 0; i < 60; i++)
		g_string_append(want, "<");
	ck_render("{{>p}}", data->str, "p: '{{#n}}<{{>p}}{{/n}}'", false, want->str);
}
END_TEST

START_TEST(missing_partials)
{
	ck_render("[{{>nope}}]", "{}", "{}", false, "[]");
	ck_render_error("[{{>nope}}]\n{{<gone}}{{/gone}}", "{}", "{}", true,
			"t.mustache:1:2: error: no partial named 'nope'\n"
			"t.mustache:2:1: error: no partial named 'gone'\n");
	ck_render_error("{{>*which}}", "{}", NULL, true, "t.mustache:1:1: error: no value for 'which'\n");
	ck_render_error("{{>*which}}", "which: nope", "{}", true,
			"t.mustache:1:1: error: no partial named 'nope'\n");
	/* A partial with a syntax error fails the render, in any mode, once. */
	ck_render_error("{{>p}}{{>p}}", "{}", "p: \"x\\n{{#a}}\"", false,
			"p.mustache:2:7: error: unclosed section 'a' opened at 2:1\n");
}
END_TEST

START_TEST(standalone_lines_with_crlf)
{
	ck_render("a\r\n  {{#s}}\r\n  b\r\n  {{/s}}\r\nc\r\n", "s: true", NULL, false, "a\r\n  b\r\nc\r\n");
	ck_render("a\r\n{{! note }}\r\nb", "{}", NULL, false, "a\r\nb");
	ck_render("x\r\n  {{>p}}\r\ny", "{}", "p: \"1\\r\\n2\\r\\n\"", false, "x\r\n  1\r\n  2\r\ny");
	/* A CR alone does not end a line. */
	ck_render("{{! note }}\rx", "{}", NULL, false, "\rx");
}
END_TEST

START_TEST(standalone_partials_indent_every_line)
{
	/* Every line of the partial, blank ones too, but not what data brings. */
	ck_render("list:\n  {{>p}}\nend\n", "v: \"1\\n2\"", "p: \"a\\n\\n{{v}}\\n\"", false,
		  "list:\n  a\n  \n  1\n2\nend\n");
	/* Nested partials add up their indentation. */
	ck_render("  {{>p}}\n", "{}", "p: \"a\\n  {{>q}}\\n\"\nq: \"b\\nc\\n\"", false,
		  "  a\n    b\n    c\n");	/* A partial inside a line is not indented, even within an indented one. */
	ck_render("  {{>p}}\n", "{}", "p: \"a {{>q}}\\n\"\nq: \"x\\ny\"", false,
		  "  a x\ny\n");
}
END_TEST

START_TEST(inheritance_layout)
{
	ck_render("{{<layout}}\n"
		  "{{$title}}Report{{/title}}\n"
		  "{{$body}}\n"
		  "Text, {{who}}.\n"
		  "{{/body}}\n"
		  "{{/layout}}\n",
		  "who: you",
		  "layout: \"# {{$title}}Untitled{{/title}}\\n\\n  {{$body}}\\n  none\\n  {{/body}}\\n---\\n\"",
		  true, "# Report\n\n  Text, you.\n---\n");
	/* An override at a site inside a line keeps its own lines as written. */
	ck_render("X\n  {{<p}}\n{{$b}}1\n2{{/b}}\n{{/p}}\n", "{}", "p: \"a {{$b}}{{/b}}\\nz\\n\"", true,
		  "X\n  a 1\n2\n  z\n");
	/* An override written inside a line, at a standalone site, gets its indentation. */
	ck_render("{{<p}}{{$b}}1\n2{{/b}}{{/p}}", "{}", "p: \"  {{$b}}\\n  {{/b}}\\n\"", true,
		  "  1\n  2");
}
END_TEST

START_TEST(directory_loader)
{
	g_autofree char *dir = g_dir_make_tmp("tmpl-XXXXXX", NULL);
	g_autofree char *a1 = g_build_filename(dir, "a.mustache", NULL);
	g_autofree char *a2 = g_build_filename(dir, "a", NULL);
	g_autofree char *b = g_build_filename(dir, "b.md", NULL);
	ck_assert(g_file_set_contents(a1, "A", -1, NULL));
	ck_assert(g_file_set_contents(a2, "plain a", -1, NULL));
	ck_assert(g_file_set_contents(b, "B", -1, NULL));

	char *file = NULL;
	g_autofree char *ta = tmpl_load_dir(dir, "a", &file);
	ck_assert_str_eq(ta, "A");
	ck_assert_str_eq(file, a1);
	g_free(g_steal_pointer(&file));
	g_autofree char *tb = tmpl_load_dir(dir, "b.md", &file);
	ck_assert_str_eq(tb, "B");
	g_free(g_steal_pointer(&file));
	ck_assert_ptr_null(tmpl_load_dir(dir, "c", &file));
	g_autofree char *up = g_strdup_printf("../%s/a", strrchr(dir, '/') + 1);
	ck_assert_ptr_null(tmpl_load_dir(dir, up, &file));
	ck_assert_ptr_null(tmpl_load_dir(dir, a1, &file));
	ck_assert_ptr_null(file);

	tmpl_opts opts = { .strict = true, .load = tmpl_load_dir, .load_ud = dir };
	g_autofree char *out = tmpl_render_string("t.mustache", "{{>a}}{{>b.md}}", NULL, &opts);
	ck_assert_str_eq(out, "AB");

	g_unlink(a1);
	g_unlink(a2);
	g_unlink(b);
	g_rmdir(dir);
}
END_TEST

Suite *
suite_tmpl(void)
{
	Suite *s = suite_create("tmpl");
	TCase *tc = tcase_create("tmpl");

	tcase_add_test(tc, strict_missing_value_is_located);
	tcase_add_test(tc, strict_sections_over_missing_names_are_false);
	tcase_add_test(tc, not_strict_follows_the_spec);
	tcase_add_test(tc, syntax_errors_are_located);
	tcase_add_test(tc, nesting_is_bounded);
	tcase_add_test(tc, recursive_partials_are_bounded);
	tcase_add_test(tc, missing_partials);
	tcase_add_test(tc, standalone_lines_with_crlf);
	tcase_add_test(tc, standalone_partials_indent_every_line);
	tcase_add_test(tc, inheritance_layout);
	tcase_add_test(tc, directory_loader);
	suite_add_tcase(s, tc);
	return s;
}
