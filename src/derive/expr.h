/* expr.h - gate expressions: a small language over the data tree (derive stage).
 *
 * A gate of a partner path (templates/programme.yaml) is a condition written
 * as text, so that a new path or a new gate needs no C:
 *
 *     avg(daily.messages, 7) >= 2500 or avg(daily.calls, 7) >= 200
 *     count(clients, messages >= 1) >= 10
 *     present(meta.business_verification)
 *
 * The language:
 *   - numbers (2500, 2_500, 99.9), strings ("high"), true, false;
 *   - names: a dotted path into the data, looked up first in the scope
 *     (the latest snapshot, or the list item inside count()), then from
 *     the root of the tree (company.name, triggers.monthly_messages);
 *   - comparisons >= > <= < == !=, arithmetic + - * /, not, and, or,
 *     parentheses;
 *   - functions: avg/sum/min/max(SERIES, DAYS) over the last DAYS days of
 *     a daily series (a path through a list, like daily.messages, whose
 *     items have a `date`); count(LIST) and count(LIST, CONDITION);
 *     present(X); if(CONDITION, A, B); met("path-id"), another path's
 *     verdict.
 * A name the data does not have is not an error: its value is unknown (a
 * figure the content does not give yet), a comparison with it is unknown,
 * and a gate is met only when its condition is true (three-valued logic:
 * unknown or true is true, unknown and false is false).  Syntax errors,
 * unknown functions and type errors are located errors, at the line and
 * column inside the YAML file.
 *
 * Every comparison evaluated is recorded as a term (what was compared, its
 * current value and the target, as numbers and as text, whether the figure
 * was estimated), so that `dossier check` can show each gate's values
 * without knowing the rule.  Comparisons inside count()'s condition and
 * if()'s condition are not recorded.
 */
#ifndef DOSSIER_EXPR_H
#define DOSSIER_EXPR_H

#include <stdbool.h>

#include "base/value.h"

typedef struct expr expr;

/* Parse the string scalar `src` (its file, line and column locate errors).
 * NULL after a located error.  Free with expr_free(). */
expr *expr_parse(const val *src);
void expr_free(expr *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(expr, expr_free)

/* Where names are looked up, and how met("id") is answered. */
typedef struct {
	const val *root;	/* the whole data tree */
	const val *scope;	/* looked up first (the latest snapshot); may be NULL */
	/* met("id"): *met set and true when the path is known and evaluated,
	 * false when no path of that id was evaluated before this one. */
	bool (*path_met)(void *ud, const char *id, bool *met);
	void *ud;
} expr_env;

/* Evaluate `e` as a condition: *met is true only when it is true (not
 * unknown).  Each comparison evaluated is appended to `terms` (a list) as
 * a map: label, expression, op, current (number, string or null),
 * current_text, target, target_text (with the comparison: "2,500+",
 * "< 500 ms"), known, met, estimated, note.  Returns false after a located
 * error (a type error found only with the data). */
bool expr_eval_gate(const expr *e, const expr_env *env, bool *met, val *terms);

/* The expression as written. */
const char *expr_text(const expr *e);

#endif
