/* test_mustache_spec.c - the render stage against the Mustache spec itself.
 *
 * Reads the spec's own .yml files from tests/vendor/mustache-spec/ (or
 * the folder named by $MUSTACHE_SPEC_DIR) with our YAML loader and runs
 * every case of the modules the engine implements through tmpl_parse and
 * tmpl_render, not strict, with the case's `partials` map as the partial
 * loader.  Lambdas are left out: data has no code.  A failing case is
 * printed by module and name with the template, the expected and the
 * rendered text; each module prints one summary line
 * ("mustache spec: interpolation 42/42").
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "load/yaml.h"
#include "render/tmpl.h"

static const char *const spec_modules[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections", "~inheritance", "~dynamic-names",
};

static const char *
spec_dir(void)
{
	const char *env = g_getenv("MUSTACHE_SPEC_DIR");
	return env && *env ? env : "vendor/mustache-spec";
}

/* The loader of one case: partials from its `partials` map. */
static char *
spec_load(void *ud, const char *name, char **file_out)
{
	const val *p = val_get(ud, name);

	if (!p || p->kind != VAL_STRING)
		return NULL;
	*file_out = g_strdup_printf("partial '%s'", name);
	return g_strdup(p->str);
}

/* Show a string with its invisible characters, for failure reports. */
static char *
spec_show(const char *s)
{
	if (!s)
		return g_strdup("(NULL)");
	g_autofree char *esc = g_strescape(s, NULL);
	return g_strdup_printf("\"%s\"", esc);
}

/* Run one case; on failure print why and return false. */
static bool
spec_case(const char *module, const val *c)
{
	const val *name = val_get(c, "name");
	const val *tpl = val_get(c, "template");
	const val *expected = val_get(c, "expected");
	const char *case_name = name && name->kind == VAL_STRING ? name->str : "?";

	if (!tpl || tpl->kind != VAL_STRING || !expected || expected->kind != VAL_STRING) {
		printf("mustache spec: %s: '%s': case without template or expected text\n",
		       module, case_name);
		return false;
	}
	tmpl_opts opts = { .load = spec_load, .load_ud = val_get(c, "partials") };
	g_autofree char *file = g_strdup_printf("%s: %s", module, case_name);

	diag_capture_begin();
	g_autofree char *got = tmpl_render_string(file, tpl->str, val_get(c, "data"), &opts);
	g_autofree char *msgs = diag_capture_end();
	if (got && !strcmp(got, expected->str))
		return true;

	g_autofree char *t = spec_show(tpl->str);
	g_autofree char *e = spec_show(expected->str);
	g_autofree char *g = spec_show(got);
	printf("mustache spec: %s.yml: FAILED '%s'\n  template: %s\n  expected: %s\n  got:      %s\n%s",
	       module, case_name, t, e, g, msgs);
	return false;
}

START_TEST(spec_module)
{
	const char *module = spec_modules[_i];
	g_autofree char *path = g_strdup_printf("%s/%s.yml", spec_dir(), module);

	diag_capture_begin();
	val *spec = yaml_load_file(path);
	g_autofree char *msgs = diag_capture_end();
	ck_assert_msg(spec != NULL, "cannot load %s: %s", path, msgs);

	const val *tests = val_get(spec, "tests");
	ck_assert_msg(tests && tests->kind == VAL_LIST && val_len(tests) > 0,
		      "%s has no tests", path);
	guint passed = 0, n = val_len(tests);
	for (guint i = 0; i < n; i++)
		passed += spec_case(module, val_index(tests, i));
	printf("mustache spec: %s %u/%u\n", module, passed, n);
	fflush(stdout);
	val_free(spec);
	ck_assert_msg(passed == n, "mustache spec: %s: %u of %u cases failed", module, n - passed, n);
}
END_TEST

Suite *
suite_mustache_spec(void)
{
	Suite *s = suite_create("mustache_spec");
	TCase *tc = tcase_create("spec");

	tcase_add_loop_test(tc, spec_module, 0, G_N_ELEMENTS(spec_modules));
	suite_add_tcase(s, tc);
	return s;
}
