/* derive/expr.c - gate expressions (derive stage; see expr.h).
 *
 * Compile, then execute: expr_parse() turns the text into a tree of nodes
 * (a recursive-descent parser, one function per precedence level), so a
 * syntax error is reported before any data is read; expr_eval_gate() walks
 * the tree against the data tree.  Values are three-valued: a figure the
 * content does not give is unknown, and so is everything computed from it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/expr.h"
#include "derive/metrics.h"
#include "base/source.h"

#define EXPR_MAX_DEPTH	64	/* nesting of parentheses and calls */
#define EXPR_MAX_DAYS	366	/* the widest window avg() and friends take */
#define EXPR_MAX_OPS	500	/* operators in one condition: bounds the tree's depth */

/* ---- the tree ---------------------------------------------------------- */

typedef enum {
	X_NUM, X_STR, X_BOOL, X_NAME, X_CALL, X_NEG, X_NOT, X_AND, X_OR, X_CMP, X_ARITH,
} xkind;

typedef struct xnode xnode;
struct xnode {
	xkind kind;
	size_t start, end;	/* bytes of the source text it spans */
	double num;		/* X_NUM; X_BOOL as 0/1 */
	char *str;		/* X_STR text, X_NAME dotted path, X_CALL function */
	char op[3];		/* X_CMP ">=", X_ARITH "+" */
	xnode *a, *b;		/* operands */
	GPtrArray *args;	/* X_CALL: xnode* */
};

struct expr {
	const val *src;		/* the YAML scalar (borrowed: lives with the programme file) */
	char *text;
	xnode *root;
};

static void
node_free(xnode *n)
{
	if (!n)
		return;
	g_free(n->str);
	node_free(n->a);
	node_free(n->b);
	if (n->args)
		g_ptr_array_unref(n->args);
	g_free(n);
}

void
expr_free(expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	g_free(e->text);
	g_free(e);
}

const char *
expr_text(const expr *e)
{
	return e->text;
}

/* A located error at byte `at` of the expression. */
static void
expr_error(const expr *e, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
expr_error(const expr *e, size_t at, const char *fmt, ...)
{
	int line, col;
	source_locate(e->src, at, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	diag(DIAG_ERROR, e->src->file, line, col, "%s", msg);
}

/* ---- the parser -------------------------------------------------------- */

typedef struct {
	const expr *e;
	const char *s;
	size_t p;
	int depth;
	int ops;		/* binary operators so far */
	bool failed;
} parser;

static void
skip_space(parser *ps)
{
	while (g_ascii_isspace(ps->s[ps->p]))
		ps->p++;
}

static xnode *
node_new(xkind kind, size_t start)
{
	xnode *n = g_new0(xnode, 1);
	n->kind = kind;
	n->start = n->end = start;
	return n;
}

static void
fail(parser *ps, size_t at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
fail(parser *ps, size_t at, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	expr_error(ps->e, at, "%s", msg);
}

/* One more binary operator; false (after the error) past EXPR_MAX_OPS. */
static bool
count_op(parser *ps, size_t at)
{
	if (++ps->ops <= EXPR_MAX_OPS)
		return true;
	fail(ps, at, "the condition has more than %d operators: split it into several gates", EXPR_MAX_OPS);
	return false;
}

/* One level deeper (a parenthesis, a call, a prefix); false (after the
 * error) past EXPR_MAX_DEPTH.  The caller decrements ps->depth after. */
static bool
deeper(parser *ps, size_t at)
{
	if (++ps->depth <= EXPR_MAX_DEPTH)
		return true;
	fail(ps, at, "the expression nests deeper than %d levels", EXPR_MAX_DEPTH);
	return false;
}

/* What stands at the parser's position, for "expected X, got Y". */
static char *
found(parser *ps)
{
	skip_space(ps);
	if (!ps->s[ps->p])
		return g_strdup("the end of the expression");
	size_t n = 1;
	while (ps->s[ps->p + n] && !g_ascii_isspace(ps->s[ps->p + n]) && n < 12)
		n++;
	return g_strdup_printf("'%.*s'", (int)n, ps->s + ps->p);
}

static bool
is_word_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* The keyword `w` at the position, as a whole word: consumed. */
static bool
keyword(parser *ps, const char *w)
{
	skip_space(ps);
	size_t n = strlen(w);
	if (strncmp(ps->s + ps->p, w, n) || is_word_char(ps->s[ps->p + n]))
		return false;
	ps->p += n;
	return true;
}

static bool
punct(parser *ps, const char *t)
{
	skip_space(ps);
	size_t n = strlen(t);
	if (strncmp(ps->s + ps->p, t, n))
		return false;
	ps->p += n;
	return true;
}

static xnode *parse_or(parser *ps);

static xnode *
parse_number(parser *ps)
{
	size_t start = ps->p;
	GString *digits = g_string_new(NULL);
	while (g_ascii_isdigit(ps->s[ps->p]) || ps->s[ps->p] == '_' || ps->s[ps->p] == '.') {
		if (ps->s[ps->p] != '_')
			g_string_append_c(digits, ps->s[ps->p]);
		ps->p++;
	}
	char *end;
	double v = g_ascii_strtod(digits->str, &end);
	bool ok = *end == '\0' && digits->len && digits->str[digits->len - 1] != '.' && isfinite(v);
	g_string_free(digits, TRUE);
	if (!ok || is_word_char(ps->s[ps->p])) {
		fail(ps, start, "'%.*s' is not a number (write 2500, 2_500 or 99.9)",
		     (int)(ps->p - start + (is_word_char(ps->s[ps->p]) ? 1 : 0)), ps->s + start);
		return NULL;
	}
	xnode *n = node_new(X_NUM, start);
	n->num = v;
	n->end = ps->p;
	return n;
}

static xnode *
parse_string(parser *ps)
{
	size_t start = ps->p;
	char q = ps->s[ps->p++];
	const char *close = strchr(ps->s + ps->p, q);
	if (!close) {
		fail(ps, start, "a string opened here is never closed (with %c)", q);
		return NULL;
	}
	xnode *n = node_new(X_STR, start);
	n->str = g_strndup(ps->s + ps->p, (size_t)(close - (ps->s + ps->p)));
	ps->p = (size_t)(close - ps->s) + 1;
	n->end = ps->p;
	return n;
}

/* A call's arguments, after the '('. */
static bool
parse_args(parser *ps, xnode *call)
{
	call->args = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
	if (punct(ps, ")"))
		return true;
	for (;;) {
		xnode *arg = parse_or(ps);
		if (!arg)
			return false;
		g_ptr_array_add(call->args, arg);
		if (punct(ps, ")"))
			return true;
		if (!punct(ps, ",")) {
			g_autofree char *got = found(ps);
			fail(ps, ps->p, "expected ',' or ')' in the call of %s(), got %s", call->str, got);
			return false;
		}
	}
}

/* A name (a.b.c) or a call f(...). */
static xnode *
parse_name(parser *ps)
{
	size_t start = ps->p;
	while (is_word_char(ps->s[ps->p]) || (ps->s[ps->p] == '.' && is_word_char(ps->s[ps->p + 1])))
		ps->p++;
	g_autofree char *word = g_strndup(ps->s + start, ps->p - start);
	if (!strcmp(word, "true") || !strcmp(word, "false")) {
		xnode *n = node_new(X_BOOL, start);
		n->num = !strcmp(word, "true");
		n->end = ps->p;
		return n;
	}
	skip_space(ps);
	bool call = ps->s[ps->p] == '(';
	xnode *n = node_new(call ? X_CALL : X_NAME, start);
	n->str = g_steal_pointer(&word);
	if (call) {
		ps->p++;
		if (!deeper(ps, start)) {
			node_free(n);
			return NULL;
		}
		bool ok = parse_args(ps, n);
		ps->depth--;
		if (!ok) {
			node_free(n);
			return NULL;
		}
	}
	n->end = ps->p;
	return n;
}

static xnode *
parse_primary(parser *ps)
{
	skip_space(ps);
	char c = ps->s[ps->p];
	if (g_ascii_isdigit(c) || (c == '.' && g_ascii_isdigit(ps->s[ps->p + 1])))
		return parse_number(ps);
	if (c == '"' || c == '\'')
		return parse_string(ps);
	if (g_ascii_isalpha(c) || c == '_')
		return parse_name(ps);
	if (c == '(') {
		size_t start = ps->p++;
		if (!deeper(ps, start))
			return NULL;
		xnode *n = parse_or(ps);
		ps->depth--;
		if (n && !punct(ps, ")")) {
			g_autofree char *got = found(ps);
			fail(ps, ps->p, "expected ')' to close the '(' at column %zu of the expression, got %s",
			     start + 1, got);
			node_free(n);
			return NULL;
		}
		return n;
	}
	g_autofree char *got = found(ps);
	fail(ps, ps->p, "expected a number, a string, a name or '(', got %s", got);
	return NULL;
}

/* A prefix operator's operand, one level deeper: `-x`, `not x`. */
static xnode *
prefixed(parser *ps, xkind kind, size_t start, xnode *(*operand)(parser *))
{
	if (!deeper(ps, start))
		return NULL;
	xnode *a = operand(ps);
	ps->depth--;
	if (!a)
		return NULL;
	xnode *n = node_new(kind, start);
	n->a = a;
	n->end = a->end;
	return n;
}

static xnode *
parse_unary(parser *ps)
{
	skip_space(ps);
	size_t start = ps->p;
	if (ps->s[ps->p] != '-')
		return parse_primary(ps);
	ps->p++;
	return prefixed(ps, X_NEG, start, parse_unary);
}

static xnode *
binary(xkind kind, const char *op, xnode *a, xnode *b)
{
	xnode *n = node_new(kind, a->start);
	g_strlcpy(n->op, op, sizeof n->op);
	n->a = a;
	n->b = b;
	n->end = b->end;
	return n;
}

/* Left-associative levels: `ops` the operators of the level. */
static xnode *
parse_level(parser *ps, xnode *(*next)(parser *), xkind kind, const char *const *ops)
{
	xnode *a = next(ps);
	while (a) {
		const char *op = NULL;
		skip_space(ps);
		for (const char *const *o = ops; *o && !op; o++)
			if (!strncmp(ps->s + ps->p, *o, strlen(*o)))
				op = *o;
		if (!op)
			break;
		size_t at = ps->p;
		ps->p += strlen(op);
		xnode *b = count_op(ps, at) ? next(ps) : NULL;
		if (!b) {
			node_free(a);
			return NULL;
		}
		a = binary(kind, op, a, b);
	}
	return a;
}

static xnode *
parse_product(parser *ps)
{
	static const char *const ops[] = { "*", "/", NULL };
	return parse_level(ps, parse_unary, X_ARITH, ops);
}

static xnode *
parse_sum(parser *ps)
{
	static const char *const ops[] = { "+", "-", NULL };
	return parse_level(ps, parse_product, X_ARITH, ops);
}

static xnode *
parse_compare(parser *ps)
{
	static const char *const ops[] = { ">=", "<=", "==", "!=", ">", "<", NULL };
	xnode *a = parse_sum(ps);
	if (!a)
		return NULL;
	skip_space(ps);
	if (ps->s[ps->p] == '=' && ps->s[ps->p + 1] != '=') {
		fail(ps, ps->p, "'=' is not a comparison: write '==' (or '>=', '<=')");
		node_free(a);
		return NULL;
	}
	for (const char *const *o = ops; *o; o++) {
		if (strncmp(ps->s + ps->p, *o, strlen(*o)))
			continue;
		ps->p += strlen(*o);
		xnode *b = parse_sum(ps);
		if (!b) {
			node_free(a);
			return NULL;
		}
		return binary(X_CMP, *o, a, b);
	}
	return a;
}

static xnode *
parse_not(parser *ps)
{
	skip_space(ps);
	size_t start = ps->p;
	if (!keyword(ps, "not"))
		return parse_compare(ps);
	return prefixed(ps, X_NOT, start, parse_not);
}

/* `a and b and ...` or `a or b or ...`: left-associative, each operator counted. */
static xnode *
parse_logic(parser *ps, const char *word, xkind kind, xnode *(*next)(parser *))
{
	xnode *a = next(ps);
	while (a && keyword(ps, word)) {
		xnode *b = count_op(ps, ps->p) ? next(ps) : NULL;
		if (!b) {
			node_free(a);
			return NULL;
		}
		a = binary(kind, kind == X_AND ? "&" : "|", a, b);
	}
	return a;
}

static xnode *
parse_and(parser *ps)
{
	return parse_logic(ps, "and", X_AND, parse_not);
}

static xnode *
parse_or(parser *ps)
{
	return parse_logic(ps, "or", X_OR, parse_and);
}

/* The functions and how many arguments each takes. */
static const struct {
	const char *name;
	int min_args, max_args;
	const char *usage;
} functions[] = {
	{ "avg", 2, 2, "avg(SERIES, DAYS): the average of the last DAYS days" },
	{ "sum", 2, 2, "sum(SERIES, DAYS): the total of the last DAYS days" },
	{ "min", 2, 2, "min(SERIES, DAYS): the lowest day of the last DAYS days" },
	{ "max", 2, 2, "max(SERIES, DAYS): the highest day of the last DAYS days" },
	{ "count", 1, 2, "count(LIST) or count(LIST, CONDITION)" },
	{ "present", 1, 1, "present(NAME): whether the content gives it" },
	{ "if", 3, 3, "if(CONDITION, THEN, ELSE)" },
	{ "met", 1, 1, "met(\"path-id\"): whether another path's gates are met" },
};

/* Every call names a known function with the right number of arguments,
 * checked once after parsing. */
static bool
check_calls(const expr *e, const xnode *n)
{
	if (!n)
		return true;
	bool ok = check_calls(e, n->a) && check_calls(e, n->b);
	if (n->kind != X_CALL)
		return ok;
	for (guint i = 0; i < n->args->len; i++)
		ok = check_calls(e, n->args->pdata[i]) && ok;
	for (size_t i = 0; i < G_N_ELEMENTS(functions); i++) {
		if (strcmp(functions[i].name, n->str))
			continue;
		int k = (int)n->args->len;
		if (k < functions[i].min_args || k > functions[i].max_args) {
			expr_error(e, n->start, "%s() takes %s: %s", n->str,
				   functions[i].min_args == functions[i].max_args ?
				   (functions[i].min_args == 1 ? "one argument" : functions[i].min_args == 2 ? "two arguments" : "three arguments")
				   : "one or two arguments", functions[i].usage);
			return false;
		}
		return ok;
	}
	const char *names[G_N_ELEMENTS(functions) + 1];
	for (size_t i = 0; i < G_N_ELEMENTS(functions); i++)
		names[i] = functions[i].name;
	names[G_N_ELEMENTS(functions)] = NULL;
	const char *hint = diag_suggest(n->str, names);
	if (hint)
		expr_error(e, n->start, "unknown function %s() (did you mean %s()?)", n->str, hint);
	else
		expr_error(e, n->start, "unknown function %s(): the functions are avg, sum, min, max, count, present, if and met",
			   n->str);
	return false;
}

expr *
expr_parse(const val *src)
{
	expr *e = g_new0(expr, 1);
	e->src = src;
	e->text = g_strdup(src->kind == VAL_STRING ? src->str : "");
	if (src->kind != VAL_STRING) {
		diag(DIAG_ERROR, src->file, src->line, src->col, "a condition is written as text, got a %s",
		     val_kind_name(src->kind));
		expr_free(e);
		return NULL;
	}
	parser ps = { .e = e, .s = e->text };
	skip_space(&ps);
	if (!e->text[ps.p]) {
		diag(DIAG_ERROR, src->file, src->line, src->col, "the condition is empty");
		expr_free(e);
		return NULL;
	}
	e->root = parse_or(&ps);
	skip_space(&ps);
	if (e->root && e->text[ps.p]) {
		g_autofree char *got = found(&ps);
		fail(&ps, ps.p, "expected 'and', 'or', a comparison or the end of the condition, got %s", got);
	}
	if (ps.failed || !e->root || !check_calls(e, e->root)) {
		expr_free(e);
		return NULL;
	}
	return e;
}

/* ---- values ------------------------------------------------------------ */

typedef enum { V_UNKNOWN, V_BOOL, V_NUM, V_STR, V_LIST } vkind;

typedef struct {
	vkind kind;
	bool b;
	double num;
	const char *str;	/* V_STR (borrowed from the tree or the expression) */
	const val *list;	/* V_LIST: the items (maps or scalars) */
	const char *field;	/* V_LIST: the field of each item it stands for, or NULL */
	const char *key;	/* the figure's name, for its unit: "messages" */
	bool estimated;		/* computed from an estimate */
	char *note;		/* how it was computed: "7-day average, 25–31 October 2026" */
	char *why;		/* V_UNKNOWN: what is missing */
} xval;

static void
xval_clear(xval *v)
{
	g_free(v->note);
	g_free(v->why);
	memset(v, 0, sizeof *v);
}

static xval
unknown(char *why)
{
	return (xval){ .kind = V_UNKNOWN, .why = why };
}

typedef struct {
	const expr *e;
	const expr_env *env;
	const val *item;	/* inside count(LIST, CONDITION): the item */
	val *terms;		/* where comparisons are recorded, or NULL */
	bool failed;
} evaluator;

static xval eval(evaluator *ev, const xnode *n);

static void
eval_error(evaluator *ev, const xnode *n, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
eval_error(evaluator *ev, const xnode *n, const char *fmt, ...)
{
	if (ev->failed)
		return;
	ev->failed = true;
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	expr_error(ev->e, n->start, "%s", msg);
}

static const char *
vkind_name(vkind k)
{
	static const char *const names[] = { "unknown value", "true/false value", "number", "string", "list" };
	return names[k];
}

/* Follow `dotted` from `from`: through a map by key; through a list by
 * projecting the rest of the path onto every item (a series).  The value,
 * or NULL when a step is missing; *field the projected field. */
static const val *
follow(const val *from, const char *dotted, const char **field)
{
	*field = NULL;
	g_auto(GStrv) parts = g_strsplit(dotted, ".", -1);
	const val *v = from;
	for (guint i = 0; parts[i]; i++) {
		if (v && v->kind == VAL_LIST) {
			if (parts[i + 1])	/* a.b.c through a list: one field deep only */
				return NULL;
			*field = g_intern_string(parts[i]);
			return v;
		}
		v = val_get(v, parts[i]);
		if (!v)
			return NULL;
	}
	return v;
}

static const char *
last_segment(const char *dotted)
{
	const char *dot = strrchr(dotted, '.');
	return g_intern_string(dot ? dot + 1 : dotted);
}

static xval
eval_name(evaluator *ev, const xnode *n)
{
	const char *field = NULL;
	const val *v = NULL;
	if (ev->item)
		v = follow(ev->item, n->str, &field);
	if (!v && ev->env->scope)
		v = follow(ev->env->scope, n->str, &field);
	if (!v)
		v = follow(ev->env->root, n->str, &field);
	if (!v || v->kind == VAL_NULL)
		return unknown(g_strdup_printf("%s is not in the content", n->str));
	xval r = { .key = field ? field : last_segment(n->str) };
	switch (v->kind) {
	case VAL_BOOL:
		r.kind = V_BOOL;
		r.b = v->b;
		break;
	case VAL_NUMBER:
		r.kind = V_NUM;
		r.num = v->num;
		break;
	case VAL_STRING:
		r.kind = V_STR;
		r.str = v->str;
		break;
	case VAL_LIST:
		r.kind = V_LIST;
		r.list = v;
		r.field = field;
		break;
	default:
		r.kind = V_LIST;	/* a map: present(), count() of its keys */
		r.list = v;
		break;
	}
	return r;
}

static void record_fact(evaluator *ev, const xnode *n, const xval *v, const char *want, int met);

/* Three-valued truth: 1 true, 0 false, -1 unknown; a type error for
 * anything but a true/false value.  A name read as a condition
 * (verification.ready) is recorded as a term. */
static int
truth(evaluator *ev, const xnode *n, const xval *v)
{
	if (n->kind == X_NAME && (v->kind == V_UNKNOWN || v->kind == V_BOOL))
		record_fact(ev, n, v, "true", v->kind == V_UNKNOWN ? -1 : v->b);
	if (v->kind == V_UNKNOWN)
		return -1;
	if (v->kind != V_BOOL) {
		eval_error(ev, n, "a condition must be true or false, got a %s", vkind_name(v->kind));
		return -1;
	}
	return v->b;
}

static xval
boolean(int t)
{
	if (t < 0)
		return unknown(NULL);
	return (xval){ .kind = V_BOOL, .b = t };
}

/* A figure written for people, by the unit its name says. */
static char *
format_figure(const char *key, double v)
{
	if (key && (metric_find(key) || g_str_has_suffix(key, "_cost") || g_str_has_suffix(key, "_amount") ||
		    g_str_has_suffix(key, "_percent") || g_str_has_suffix(key, "_ms")))
		return metric_format(key, v);
	if (v == floor(v) || fabs(v) >= 100)
		return fmt_count(v);
	return fmt_number(v, 1);
}

/* A target as the seed's tables write it: "2,500+", "< 500 ms". */
static char *
format_target(const char *op, const char *text)
{
	if (!strcmp(op, ">="))
		return g_strdup_printf("%s+", text);
	if (!strcmp(op, ">"))
		return g_strdup_printf("more than %s", text);
	if (!strcmp(op, "<"))
		return g_strdup_printf("< %s", text);
	if (!strcmp(op, "<="))
		return g_strdup_printf("%s or less", text);
	if (!strcmp(op, "!="))
		return g_strdup_printf("not %s", text);
	return g_strdup(text);
}

static bool
is_window(const char *f)
{
	return !strcmp(f, "avg") || !strcmp(f, "sum") || !strcmp(f, "min") || !strcmp(f, "max");
}

/* A label for what a comparison measures: the figure's name, or the
 * expression as written. */
static char *
label_of(const evaluator *ev, const xnode *n)
{
	if (n->kind == X_NAME) {
		const char *key = last_segment(n->str);
		const metric *m = metric_find(key);
		if (m)
			return g_strdup(m->label);
		char *s = g_strdup(key);
		g_strdelimit(s, "_", ' ');
		return s;
	}
	if (n->kind == X_CALL && is_window(n->str)) {
		const xnode *series = n->args->pdata[0], *days = n->args->pdata[1];
		g_autofree char *what = g_strdup(series->kind == X_NAME ? last_segment(series->str) : "value");
		g_strdelimit(what, "_", ' ');
		g_autofree char *d = days->kind == X_NUM && days->num >= 1 && days->num <= EXPR_MAX_DAYS
				     ? g_strdup_printf("%d", (int)days->num) : g_strdup("N");
		if (!strcmp(n->str, "avg"))
			return g_strdup_printf("%s a day (%s-day average)", what, d);
		if (!strcmp(n->str, "sum"))
			return g_strdup_printf("%s over %s days", what, d);
		return g_strdup_printf("%s %s day of %s", !strcmp(n->str, "min") ? "lowest" : "highest", what, d);
	}
	if (n->kind == X_CALL && !strcmp(n->str, "count") && n->args->len >= 1) {
		const xnode *list = n->args->pdata[0];
		g_autofree char *what = g_strdup(list->kind == X_NAME ? last_segment(list->str) : "items");
		g_strdelimit(what, "_", ' ');
		if (n->args->len == 1)
			return g_steal_pointer(&what);
		const xnode *cond = n->args->pdata[1];
		return g_strdup_printf("%s with %.*s", what, (int)(cond->end - cond->start), ev->e->text + cond->start);
	}
	return g_strndup(ev->e->text + n->start, n->end - n->start);
}

static void
record(evaluator *ev, const xnode *n, const xval *a, const xval *b, int met)
{
	if (!ev->terms)
		return;
	g_autofree char *what = g_strndup(ev->e->text + n->a->start, n->a->end - n->a->start);
	g_autofree char *target_plain = b->kind == V_NUM ? format_figure(a->key ? a->key : b->key, b->num)
				       : b->kind == V_STR ? g_strdup(b->str)
				       : b->kind == V_BOOL ? g_strdup(b->b ? "true" : "false") : g_strdup("no figure");
	/* A percentage target reads short, as the seed writes it: 99.9%+. */
	const metric *m = a->key ? metric_find(a->key) : NULL;
	if (b->kind == V_NUM && m && m->unit == METRIC_PERCENT) {
		g_free(target_plain);
		target_plain = fmt_percent_short(b->num);
	}
	g_autofree char *target_text = format_target(n->op, target_plain);
	/* The same comparison twice (both branches of a rule) is one term. */
	for (guint i = 0; i < val_len(ev->terms); i++) {
		const val *t = val_index(ev->terms, i);
		if (!strcmp(val_get(t, "expression")->str, what) && !strcmp(val_get(t, "target_text")->str, target_text))
			return;
	}
	val *t = val_new_map();
	char *label = label_of(ev, n->a);
	val_map_set(t, "label", val_new_string_take(label));
	val_set_string(t, "expression", what);
	val_set_string(t, "op", n->op);
	if (a->kind == V_NUM) {
		val_set_number(t, "current", a->num);
		val_map_set(t, "current_text", val_new_string_take(format_figure(a->key, a->num)));
	} else if (a->kind == V_STR) {
		val_set_string(t, "current", a->str);
		val_set_string(t, "current_text", a->str);
	} else if (a->kind == V_BOOL) {
		val_set_bool(t, "current", a->b);
		val_set_string(t, "current_text", a->b ? "true" : "false");
	} else {
		val_map_set(t, "current", val_new_null());
		val_map_set(t, "current_text", val_new_string_take(
			g_strdup_printf("no figure (%s)", a->why ? a->why : b->why ? b->why : "not in the content")));
	}
	if (b->kind == V_NUM)
		val_set_number(t, "target", b->num);
	else if (b->kind == V_STR)
		val_set_string(t, "target", b->str);
	else
		val_map_set(t, "target", val_new_null());
	val_set_string(t, "target_text", target_text);
	val_set_bool(t, "known", met >= 0);
	val_set_bool(t, "met", met == 1);
	val_set_bool(t, "estimated", a->estimated || b->estimated);
	if (a->note)
		val_set_string(t, "note", a->note);
	else
		val_map_set(t, "note", val_new_null());
	val_list_add(ev->terms, t);
}

/* A fact a condition reads without comparing it: a true/false name, or
 * present(NAME).  Its label is the name as written. */
static void
record_fact(evaluator *ev, const xnode *n, const xval *v, const char *want, int met)
{
	if (!ev->terms)
		return;
	g_autofree char *what = g_strndup(ev->e->text + n->start, n->end - n->start);
	for (guint i = 0; i < val_len(ev->terms); i++)
		if (!strcmp(val_get(val_index(ev->terms, i), "expression")->str, what))
			return;
	val *t = val_new_map();
	val_set_string(t, "label", what);
	val_set_string(t, "expression", what);
	val_set_string(t, "op", "");
	if (v->kind == V_BOOL) {
		val_set_bool(t, "current", v->b);
		val_set_string(t, "current_text", v->b ? "true" : "false");
	} else if (v->kind == V_NUM) {
		val_set_number(t, "current", v->num);
		val_map_set(t, "current_text", val_new_string_take(format_figure(v->key, v->num)));
	} else if (v->kind == V_STR) {
		val_set_string(t, "current", v->str);
		val_set_string(t, "current_text", v->str);
	} else if (v->kind == V_LIST) {
		val_set_number(t, "current", val_len(v->list));
		val_map_set(t, "current_text", val_new_string_take(g_strdup_printf("%u item%s", val_len(v->list),
									      val_len(v->list) == 1 ? "" : "s")));
	} else {
		val_map_set(t, "current", val_new_null());
		val_set_string(t, "current_text", "not given");
	}
	val_map_set(t, "target", val_new_null());
	val_set_string(t, "target_text", want);
	val_set_bool(t, "known", met >= 0);
	val_set_bool(t, "met", met == 1);
	val_set_bool(t, "estimated", v->estimated);
	val_map_set(t, "note", val_new_null());
	val_list_add(ev->terms, t);
}

static xval
eval_compare(evaluator *ev, const xnode *n)
{
	xval a = eval(ev, n->a), b = eval(ev, n->b);
	int met = -1;
	if (!ev->failed && a.kind != V_UNKNOWN && b.kind != V_UNKNOWN) {
		bool eq_op = !strcmp(n->op, "==") || !strcmp(n->op, "!=");
		if (a.kind == V_NUM && b.kind == V_NUM) {
			double x = a.num, y = b.num;
			met = !strcmp(n->op, ">=") ? x >= y : !strcmp(n->op, ">") ? x > y : !strcmp(n->op, "<=") ? x <= y
			    : !strcmp(n->op, "<") ? x < y : !strcmp(n->op, "==") ? x == y : x != y;
		} else if (eq_op && a.kind == b.kind && a.kind == V_STR) {
			met = !strcmp(a.str, b.str) == !strcmp(n->op, "==");
		} else if (eq_op && a.kind == b.kind && a.kind == V_BOOL) {
			met = (a.b == b.b) == !strcmp(n->op, "==");
		} else {
			eval_error(ev, n, "cannot compare a %s with a %s using %s", vkind_name(a.kind),
				   vkind_name(b.kind), n->op);
		}
	}
	if (!ev->failed)
		record(ev, n, &a, &b, met);
	xval_clear(&a);
	xval_clear(&b);
	return boolean(met);
}

static xval
eval_arith(evaluator *ev, const xnode *n)
{
	xval a = eval(ev, n->a), b = eval(ev, n->b);
	xval r = { 0 };
	if (a.kind == V_UNKNOWN || b.kind == V_UNKNOWN) {
		r = unknown(g_strdup(a.why ? a.why : b.why));
	} else if (a.kind != V_NUM || b.kind != V_NUM) {
		eval_error(ev, n, "%s needs two numbers, got a %s and a %s", n->op, vkind_name(a.kind), vkind_name(b.kind));
	} else if (n->op[0] == '/' && b.num == 0) {
		r = unknown(g_strdup("a division by zero"));
	} else {
		r.kind = V_NUM;
		r.num = n->op[0] == '+' ? a.num + b.num : n->op[0] == '-' ? a.num - b.num
		      : n->op[0] == '*' ? a.num * b.num : a.num / b.num;
		r.key = a.key ? a.key : b.key;
		r.estimated = a.estimated || b.estimated;
		r.note = g_strdup(a.note ? a.note : b.note);
	}
	xval_clear(&a);
	xval_clear(&b);
	return r;
}

/* ---- series: the last N days of a daily list ---------------------------- */

/* "25–31 October 2026", or across months "28 September – 4 October 2026". */
static char *
date_range(const GDate *a, const GDate *b)
{
	int ma = g_date_get_year(a) * 12 + g_date_get_month(a) - 1;
	int mb = g_date_get_year(b) * 12 + g_date_get_month(b) - 1;
	g_autofree char *na = fmt_month_name(ma), *nb = fmt_month_name(mb);
	if (!g_date_compare(a, b))
		return g_strdup_printf("%d %s", g_date_get_day(b), nb);
	if (ma == mb)
		return g_strdup_printf("%d\xE2\x80\x93%d %s", g_date_get_day(a), g_date_get_day(b), nb);
	return g_strdup_printf("%d %s \xE2\x80\x93 %d %s", g_date_get_day(a), na, g_date_get_day(b), nb);
}

static bool
item_date(const val *item, GDate *d)
{
	const val *s = val_get(item, "date");
	int y, m, day;
	g_date_clear(d, 1);
	if (!s || s->kind != VAL_STRING || sscanf(s->str, "%4d-%2d-%2d", &y, &m, &day) != 3 ||
	    !g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y))
		return false;
	g_date_set_dmy(d, (GDateDay)day, (GDateMonth)m, (GDateYear)y);
	return true;
}

/* The figures of a series' window: the last `days` days up to the latest
 * date in the list (items without dates: the last `days` items). */
typedef struct {
	double total, lo, hi;
	int count;		/* items in the window that have the field */
	bool estimated;		/* one of them is an estimate */
	bool guessed;		/* some item of the list is an estimate */
	bool dated;
	GDate first, last;
} window;

static void
window_collect(window *w, const val *list, const char *field, int days)
{
	*w = (window){ .lo = INFINITY, .hi = -INFINITY };
	GDate it;
	g_date_clear(&w->last, 1);
	g_date_clear(&w->first, 1);
	for (guint i = 0; i < val_len(list); i++)
		if (item_date(val_index(list, i), &it) && (!w->dated || g_date_compare(&it, &w->last) > 0)) {
			w->last = it;
			w->dated = true;
		}
	if (w->dated) {
		w->first = w->last;
		g_date_subtract_days(&w->first, (guint)days - 1);
	}
	for (guint i = 0; i < val_len(list); i++) {
		const val *item = val_index(list, i), *est = val_get(item, "estimated");
		bool e = est && est->kind == VAL_BOOL && est->b;
		w->guessed |= e;
		if (w->dated ? !item_date(item, &it) || g_date_compare(&it, &w->first) < 0
			     : i + (guint)days < val_len(list))
			continue;
		const val *x = val_get(item, field);
		if (!x || x->kind != VAL_NUMBER)
			continue;
		w->estimated |= e;
		w->total += x->num;
		w->lo = MIN(w->lo, x->num);
		w->hi = MAX(w->hi, x->num);
		w->count++;
	}
}

/* How a window's figure was computed, for people. */
static char *
window_note(const window *w, const char *fn, int days)
{
	const char *what = !strcmp(fn, "avg") ? "average" : !strcmp(fn, "sum") ? "total"
			 : !strcmp(fn, "min") ? "lowest day" : "highest day";
	if (w->estimated)
		return g_strdup("estimated from the monthly total");
	if (!w->dated)
		return g_strdup_printf("%s of the last %d", what, w->count);
	g_autofree char *range = date_range(&w->first, &w->last);
	if (w->count == days)
		return g_strdup_printf("%d-day %s, %s", days, what, range);
	return g_strdup_printf("%s of the %d day%s with figures in %s (%d-day window)", what, w->count,
			       w->count == 1 ? "" : "s", range, days);
}

/* avg, sum, min or max of the series' last `days` days. */
static xval
eval_window(evaluator *ev, const xnode *n)
{
	const xnode *sn = n->args->pdata[0], *dn = n->args->pdata[1];
	xval s = eval(ev, sn), d = eval(ev, dn);
	xval r = { 0 };
	if (s.kind == V_UNKNOWN || d.kind == V_UNKNOWN) {
		r = unknown(g_strdup(s.why ? s.why : d.why));
	} else if (s.kind != V_LIST || !s.field) {
		eval_error(ev, sn, "%s() needs a daily series, like daily.messages (a list and a field of its items), got a %s",
			   n->str, s.kind == V_LIST ? "list without a field" : vkind_name(s.kind));
	} else if (d.kind != V_NUM || d.num < 1 || d.num > EXPR_MAX_DAYS || d.num != floor(d.num)) {
		eval_error(ev, dn, "%s()'s window is a whole number of days from 1 to %d", n->str, EXPR_MAX_DAYS);
	} else {
		int days = (int)d.num;
		window w;
		window_collect(&w, s.list, s.field, days);
		if (w.count == 0 && w.guessed)
			r = unknown(g_strdup_printf("no %s: the daily figures are estimated from the monthly total, "
						    "which has none; a daily export has them", s.field));
		else if (w.count == 0)
			r = unknown(g_strdup_printf("no %s in the daily figures", s.field));
		else
			r = (xval){ .kind = V_NUM, .key = s.field, .estimated = w.estimated,
				    .num = !strcmp(n->str, "avg") ? w.total / w.count : !strcmp(n->str, "sum") ? w.total
					 : !strcmp(n->str, "min") ? w.lo : w.hi,
				    .note = window_note(&w, n->str, days) };
	}
	xval_clear(&s);
	xval_clear(&d);
	return r;
}

static xval
eval_count(evaluator *ev, const xnode *n)
{
	const xnode *ln = n->args->pdata[0];
	xval l = eval(ev, ln);
	xval r = { 0 };
	if (l.kind == V_UNKNOWN) {
		r = unknown(g_steal_pointer(&l.why));
	} else if (l.kind != V_LIST || l.field) {
		eval_error(ev, ln, "count() needs a list, got a %s", l.field ? "series (a field of a list)" : vkind_name(l.kind));
	} else if (n->args->len == 1) {
		r = (xval){ .kind = V_NUM, .num = val_len(l.list), .key = l.key };
	} else {
		int k = 0;
		bool unsure = false;
		for (guint i = 0; i < val_len(l.list) && !ev->failed; i++) {
			evaluator inner = { .e = ev->e, .env = ev->env, .item = val_index(l.list, i) };
			xval c = eval(&inner, n->args->pdata[1]);
			int t = inner.failed ? -1 : truth(&inner, n->args->pdata[1], &c);
			ev->failed |= inner.failed;
			k += t == 1;
			unsure |= t < 0;
			xval_clear(&c);
		}
		r = (xval){ .kind = V_NUM, .num = k, .key = l.key };
		if (unsure)
			r.note = g_strdup("some items lack the figure the condition reads");
	}
	xval_clear(&l);
	return r;
}

static xval
eval_call(evaluator *ev, const xnode *n)
{
	const char *f = n->str;
	if (is_window(f))
		return eval_window(ev, n);
	if (!strcmp(f, "count"))
		return eval_count(ev, n);
	if (!strcmp(f, "present")) {
		val *saved = ev->terms;
		ev->terms = NULL;
		xval a = eval(ev, n->args->pdata[0]);
		ev->terms = saved;
		bool p = a.kind == V_BOOL ? a.b : a.kind == V_NUM ? true : a.kind == V_STR ? *a.str != '\0'
		       : a.kind == V_LIST ? val_len(a.list) > 0 : false;
		record_fact(ev, n->args->pdata[0], &a, "given", p);
		xval_clear(&a);
		return boolean(p);
	}
	if (!strcmp(f, "if")) {
		val *saved = ev->terms;
		ev->terms = NULL;
		xval c = eval(ev, n->args->pdata[0]);
		int t = ev->failed ? -1 : truth(ev, n->args->pdata[0], &c);
		ev->terms = saved;
		xval_clear(&c);
		if (t < 0)
			return unknown(NULL);
		return eval(ev, n->args->pdata[t ? 1 : 2]);
	}
	/* met("path-id") */
	const xnode *idn = n->args->pdata[0];
	if (idn->kind != X_STR) {
		eval_error(ev, idn, "met() takes a path's id as a string: met(\"tech-provider\")");
		return unknown(NULL);
	}
	bool met = false;
	if (!ev->env->path_met || !ev->env->path_met(ev->env->ud, idn->str, &met)) {
		eval_error(ev, idn, "met(\"%s\"): no path of that id comes before this one in the file", idn->str);
		return unknown(NULL);
	}
	return boolean(met);
}

static xval
eval(evaluator *ev, const xnode *n)
{
	if (ev->failed)
		return unknown(NULL);
	switch (n->kind) {
	case X_NUM:
		return (xval){ .kind = V_NUM, .num = n->num };
	case X_STR:
		return (xval){ .kind = V_STR, .str = n->str };
	case X_BOOL:
		return (xval){ .kind = V_BOOL, .b = n->num != 0 };
	case X_NAME:
		return eval_name(ev, n);
	case X_CALL:
		return eval_call(ev, n);
	case X_NEG: {
		xval a = eval(ev, n->a);
		if (a.kind == V_NUM)
			a.num = -a.num;
		else if (a.kind != V_UNKNOWN)
			eval_error(ev, n, "'-' needs a number, got a %s", vkind_name(a.kind));
		return a;
	}
	case X_NOT: {
		xval a = eval(ev, n->a);
		int t = truth(ev, n->a, &a);
		xval_clear(&a);
		return boolean(t < 0 ? -1 : !t);
	}
	case X_AND:
	case X_OR: {
		/* Both sides, always: every figure of the gate is shown. */
		xval a = eval(ev, n->a), b = eval(ev, n->b);
		int x = truth(ev, n->a, &a), y = truth(ev, n->b, &b);
		xval_clear(&a);
		xval_clear(&b);
		if (n->kind == X_AND)
			return boolean(x == 0 || y == 0 ? 0 : x < 0 || y < 0 ? -1 : 1);
		return boolean(x == 1 || y == 1 ? 1 : x < 0 || y < 0 ? -1 : 0);
	}
	case X_CMP:
		return eval_compare(ev, n);
	case X_ARITH:
		return eval_arith(ev, n);
	}
	return unknown(NULL);
}

bool
expr_eval_gate(const expr *e, const expr_env *env, bool *met, val *terms)
{
	evaluator ev = { .e = e, .env = env, .terms = terms };
	xval r = eval(&ev, e->root);
	int t = ev.failed ? -1 : truth(&ev, e->root, &r);
	xval_clear(&r);
	*met = t == 1;
	return !ev.failed;
}
