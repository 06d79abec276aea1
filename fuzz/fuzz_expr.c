/* fuzz_expr.c - libFuzzer target: any bytes as a gate's condition
 * (derive/expr.h), parsed, then evaluated against a small tree with a
 * latest snapshot, daily figures, a client list and a rule.
 *
 * expr_parse() must return an expression or NULL after a located message,
 * and expr_eval_gate() a verdict or false after one, never crash, hang or
 * leak, whatever the text (deep nesting, unclosed strings, odd numbers,
 * unknown functions, type mismatches).
 */
#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "derive/expr.h"
#include "load/yaml.h"

static const char tree_text[] =
	"latest:\n"
	"  messages: 46820\n"
	"  quality_rating: high\n"
	"  clients: [{id: A, messages: 5}, {id: B, messages: 0}]\n"
	"  daily: [{date: 2026-10-30, messages: 1500, calls: 2}, {date: 2026-10-31, messages: 1600, estimated: true}]\n"
	"triggers: {monthly_messages: 50000, rule: {name: clients_or_cost}}\n"
	"meta: {app_review: 2026-05-20}\n";

static bool
path_met(void *ud, const char *id, bool *met)
{
	(void)ud;
	*met = !strcmp(id, "guide");
	return strlen(id) < 8;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static val *tree;
	if (!tree)
		tree = yaml_load_string("tree.yaml", tree_text, sizeof tree_text - 1);
	if (size > 4096)
		return 0;
	g_autofree char *text = g_strndup((const char *)data, size);
	if (!g_utf8_validate(text, -1, NULL))
		return 0;	/* YAML gives the parser UTF-8 only */
	val *src = val_at(val_new_string(text), g_intern_static_string("fuzz.yaml"), 0, 0);	/* no file: located at the value */
	diag_capture_begin();
	expr *e = expr_parse(src);
	if (e) {
		expr_env env = { .root = tree, .scope = val_get(tree, "latest"), .path_met = path_met };
		val *terms = val_new_list();
		bool met;
		expr_eval_gate(e, &env, &met, terms);
		val_free(terms);
		expr_free(e);
	}
	g_free(diag_capture_end());
	diag_reset();
	val_free(src);
	return 0;
}
