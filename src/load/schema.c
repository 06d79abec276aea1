/* load/schema.c - content checked against templates/schema.yaml (see schema.h).
 *
 * Sits at the end of the load stage: every content file is checked before
 * derive touches a number, so derive and the templates may trust types.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "load/schema.h"

typedef enum {
	T_STRING, T_TEXT, T_COUNT, T_NUMBER, T_MONEY, T_PERCENT, T_MS,
	T_DATE, T_MONTH, T_EMAIL, T_URL, T_BOOL, T_ENUM, T_CURRENCY, T_RENAMED, T_ANY, T_BAD,
} scalar_type;

static const struct {
	const char *name;
	const char *expect;	/* "... must be <expect>" */
} type_info[] = {
	[T_STRING]  = { "string",  "text" },
	[T_TEXT]    = { "text",    "text" },
	[T_COUNT]   = { "count",   "a whole number of 0 or more" },
	[T_NUMBER]  = { "number",  "a number" },
	[T_MONEY]   = { "money",   "an amount of 0 or more" },
	[T_PERCENT] = { "percent", "a percentage from 0 to 100" },
	[T_MS]      = { "ms",      "a time in milliseconds of 0 or more" },
	[T_DATE]    = { "date",    "a date written YYYY-MM-DD" },
	[T_MONTH]   = { "month",   "a month written YYYY-MM" },
	[T_EMAIL]   = { "email",   "an e-mail address" },
	[T_URL]     = { "url",     "a URL starting with https:// or http://" },
	[T_BOOL]    = { "bool",    "true or false" },
	[T_ENUM]    = { "enum",    "one of" },
	[T_CURRENCY] = { "currency", "an ISO 4217 currency code such as USD, EUR, JPY or KWD" },
	[T_RENAMED] = { "renamed", "a key that was renamed" },
	[T_ANY]     = { "any",     "anything" },
};

static scalar_type
parse_type(const char *spec, bool *optional, const char **enum_list)
{
	size_t n = strlen(spec);
	*optional = n > 0 && spec[n - 1] == '?';
	if (*optional)
		n--;
	*enum_list = NULL;
	if (n > 5 && !strncmp(spec, "enum ", 5)) {
		*enum_list = spec + 5;
		return T_ENUM;
	}
	if (n > 8 && !strncmp(spec, "renamed ", 8)) {
		*enum_list = spec + 8;	/* the new name */
		*optional = true;	/* never required: its new name is */
		return T_RENAMED;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(type_info); i++)
		if (strlen(type_info[i].name) == n && !strncmp(spec, type_info[i].name, n))
			return (scalar_type)i;
	return T_BAD;
}

/* The key without its optional mark; *optional says if it had one. */
static char *
key_name(const char *key, bool *optional)
{
	size_t n = strlen(key);
	*optional = n > 0 && key[n - 1] == '?';
	return g_strndup(key, *optional ? n - 1 : n);
}

static char *
join(const char *what, const char *key)
{
	return *what ? g_strdup_printf("%s.%s", what, key) : g_strdup(key);
}

/* A short rendering of a bad value for messages: "99.9x", 101, a list. */
static char *
shown(const val *v)
{
	if (v->kind == VAL_STRING) {
		g_autofree char *cut = g_utf8_make_valid(v->str, MIN(strlen(v->str), 40));
		return g_strdup_printf("\"%s%s\"", cut, strlen(v->str) > 40 ? "…" : "");
	}
	if (v->kind == VAL_NUMBER && v->str)
		return g_strdup(v->str);
	if (v->kind == VAL_NUMBER && !isfinite(v->num))
		return g_strdup(isnan(v->num) ? ".nan" : v->num > 0 ? ".inf" : "-.inf");
	if (v->kind == VAL_NULL)
		return g_strdup("nothing");	/* an empty file or an empty value */
	if (v->kind == VAL_LIST || v->kind == VAL_MAP)
		return g_strdup_printf("a %s", val_kind_name(v->kind));
	return val_to_text(v);
}

/* Exactly YYYY-MM-DD (or YYYY-MM): digits only, so "+2026-10" or
 * "2026- 1" (which sscanf's %d reads happily) are not dates. */
static bool
valid_date(const char *s, bool with_day)
{
	static const char shape[] = "dddd-dd-dd";
	size_t n = with_day ? 10 : 7;
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != '-')
			return false;
	int y = atoi(s), m = atoi(s + 5), d = with_day ? atoi(s + 8) : 1;
	return y >= 1900 && g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* A number as people write amounts: digits with at most one decimal
 * point, perhaps a leading minus (each type then says whether negatives
 * are allowed).  No hexadecimal or octal (0x1F), no exponent (1e300), no
 * '+', no minus on zero (-0). */
static bool
plain_decimal(const val *v)
{
	const char *s = v->str;
	if (!s)
		return true;	/* made by dossier, not written */
	if (*s == '-')
		s++;
	if (!g_ascii_isdigit(*s))
		return false;
	while (g_ascii_isdigit(*s))
		s++;
	if (*s == '.') {
		s++;
		if (!g_ascii_isdigit(*s))
			return false;
		while (g_ascii_isdigit(*s))
			s++;
	}
	return *s == '\0' && !(v->num == 0 && v->str[0] == '-');
}

/* A date or month written the right way that does not exist (2026-13,
 * 2023-02-30): says so, at the value, and returns true. */
static bool
date_out_of_range(const val *v, bool with_day, const char *what)
{
	int y, m, d = 1;
	char tail;
	int n = with_day ? sscanf(v->str, "%4d-%2d-%2d%c", &y, &m, &d, &tail)
			 : sscanf(v->str, "%4d-%2d%c", &y, &m, &tail);
	if (n != (with_day ? 3 : 2) || strlen(v->str) != (with_day ? 10u : 7u) || y < 1900)
		return false;
	if (m < 1 || m > 12) {
		diag(DIAG_ERROR, v->file, v->line, v->col,
		     "%s is \"%s\": month %02d is out of range, months run from 01 to 12", what, v->str, m);
		return true;
	}
	int days = g_date_get_days_in_month((GDateMonth)m, (GDateYear)y);
	if (d < 1 || d > days) {
		g_autofree char *month = fmt_month_name(y * 12 + m - 1);
		diag(DIAG_ERROR, v->file, v->line, v->col,
		     "%s is \"%s\", a date that does not exist: %s has %d days", what, v->str, month, days);
		return true;
	}
	return false;
}

/* A number as any type but text may be written: finite, a plain decimal
 * of at most 10^15, in digits for a count.  false after a located error. */
static bool
number_written_ok(const val *v, scalar_type t, const char *what)
{
	if (!isfinite(v->num)) {
		g_autofree char *s = shown(v);
		diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be a finite number, got %s", what, s);
		return false;
	}
	if (t != T_ANY && t != T_COUNT && (!plain_decimal(v) || fabs(v->num) > SCHEMA_MAX_NUMBER)) {
		g_autofree char *s = shown(v);
		diag(DIAG_ERROR, v->file, v->line, v->col,
		     "%s must be a plain decimal number like 1250 or 99.95 (at most 10^15), got %s", what, s);
		return false;
	}
	if (t == T_COUNT && !plain_decimal(v)) {
		g_autofree char *s = shown(v);
		diag(DIAG_ERROR, v->file, v->line, v->col,
		     "%s must be a whole number written in digits, like 1250, got %s", what, s);
		return false;
	}
	return true;
}

/* A string or text: a number or boolean becomes its text (5000 -> "5000");
 * a string must not be empty, and neither may be longer than its limit.
 * Returns 1 when it is one, 0 when it is another kind (not yet reported),
 * -1 after a located error. */
static int
check_text(val *v, scalar_type t, const char *what)
{
	if (v->kind == VAL_NUMBER || v->kind == VAL_BOOL) {
		char *text = v->str ? g_strdup(v->str) : val_to_text(v);
		g_free(v->str);
		v->str = text;
		v->kind = VAL_STRING;
	}
	if (v->kind != VAL_STRING)
		return 0;
	if (t == T_STRING && !*v->str) {
		diag(DIAG_ERROR, v->file, v->line, v->col, "%s must not be empty", what);
		return -1;
	}
	/* a value, not a document: bounds the work of every later stage */
	glong max = t == T_STRING ? SCHEMA_MAX_STRING : SCHEMA_MAX_TEXT;
	glong n = g_utf8_strlen(v->str, -1);
	if (n > max) {
		diag(DIAG_ERROR, v->file, v->line, v->col,
		     "%s is %ld characters long, more than the limit of %ld for a%s",
		     what, n, max, t == T_STRING ? " string" : " text");
		return -1;
	}
	return 1;
}

/* One of the words of "a|b|c"; false after a located error listing them. */
static bool
check_enum(const val *v, const char *enum_list, const char *what)
{
	g_auto(GStrv) opts = g_strsplit(enum_list, "|", -1);
	if (v->kind == VAL_STRING && g_strv_contains((const char *const *)opts, v->str))
		return true;
	g_autofree char *s = shown(v);
	g_autofree char *list = g_strjoinv(", ", opts);
	diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be one of %s, got %s", what, list, s);
	return false;
}

static bool
check_scalar(val *v, scalar_type t, const char *enum_list, const char *what)
{
	bool ok = true;
	bool is_num = v->kind == VAL_NUMBER;

	if (is_num && t != T_STRING && t != T_TEXT && !number_written_ok(v, t, what))
		return false;
	switch (t) {
	case T_STRING:
	case T_TEXT: {
		int text = check_text(v, t, what);
		if (text < 0)
			return false;
		ok = text == 1;
		break;
	}
	case T_COUNT:
		if (is_num && v->num > 1e15) {	/* a whole number, but past exact doubles */
			g_autofree char *s = shown(v);
			diag(DIAG_ERROR, v->file, v->line, v->col,
			     "%s is too large to be a count (at most 10^15), got %s", what, s);
			return false;
		}
		ok = is_num && v->num >= 0 && v->num == floor(v->num);
		break;
	case T_NUMBER:
		ok = is_num;
		break;
	case T_MONEY:
	case T_MS:
		ok = is_num && v->num >= 0;
		break;
	case T_PERCENT:
		ok = is_num && v->num >= 0 && v->num <= 100;
		break;
	case T_DATE:
	case T_MONTH:
		ok = v->kind == VAL_STRING && valid_date(v->str, t == T_DATE);
		if (!ok && v->kind == VAL_STRING && date_out_of_range(v, t == T_DATE, what))
			return false;
		break;
	case T_EMAIL:
		ok = v->kind == VAL_STRING && g_regex_match_simple("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", v->str, 0, 0);
		break;
	case T_URL:
		ok = v->kind == VAL_STRING && (g_str_has_prefix(v->str, "https://") ||
					       g_str_has_prefix(v->str, "http://"));
		break;
	case T_BOOL:
		ok = v->kind == VAL_BOOL;
		break;
	case T_ENUM:
		if (!check_enum(v, enum_list, what))
			return false;
		break;
	case T_CURRENCY:
		ok = v->kind == VAL_STRING && fmt_currency_known(v->str);
		if (!ok && v->kind == VAL_STRING) {
			g_autofree char *up = g_ascii_strup(v->str, -1);
			if (fmt_currency_known(up)) {
				diag(DIAG_ERROR, v->file, v->line, v->col,
				     "%s must be an ISO 4217 currency code in capitals, got \"%s\" (did you mean %s?)",
				     what, v->str, up);
				return false;
			}
		}
		break;
	case T_RENAMED:
	case T_ANY:
		break;
	case T_BAD:
		g_assert_not_reached();
	}
	if (!ok) {
		g_autofree char *s = shown(v);
		diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be %s, got %s",
		     what, type_info[t].expect, s);
	}
	return ok;
}

static bool check(val *v, const val *schema, const char *what);

/* Keys the schema says were renamed (`old: renamed NEW`): one message
 * each, at the old name, naming the new one; the new one is then not
 * reported missing too (added to `hinted`).  False when there was one. */
static bool
check_renamed(const val *v, const val *schema, const char *what, GHashTable *hinted)
{
	bool ok = true;
	for (guint i = 0; i < val_len(schema); i++) {
		const val *sub = val_index(schema, i);
		const char *new_name;
		bool opt;
		if (sub->kind != VAL_STRING || parse_type(sub->str, &opt, &new_name) != T_RENAMED)
			continue;
		g_autofree char *key = key_name(val_key(schema, i), &opt);
		const val *old = val_get(v, key);
		if (!old)
			continue;
		g_autofree char *path = join(what, key);
		diag(DIAG_ERROR, old->file, old->key_line ? old->key_line : old->line,
		     old->key_line ? old->key_col : old->col,
		     "'%s' was renamed '%s'; `dossier migrate` renames it, and every other renamed key, in place",
		     path, new_name);
		g_hash_table_add(hinted, (gpointer)new_name);
		ok = false;
	}
	return ok;
}

static bool
check_map(val *v, const val *schema, const char *what)
{
	bool ok = true;
	const char *name = *what ? what : "the file";

	if (v->kind != VAL_MAP) {
		g_autofree char *s = shown(v);
		diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be a mapping of keys to values, got %s",
		     name, s);
		return false;
	}
	/* Known keys, for "did you mean". */
	g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < val_len(schema); i++) {
		bool opt;
		g_ptr_array_add(known, key_name(val_key(schema, i), &opt));
	}
	g_ptr_array_add(known, NULL);

	/* Keys already named in a "did you mean": not reported missing too. */
	g_autoptr(GHashTable) hinted = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < val_len(v); i++) {
		const char *key = val_key(v, i);
		if (g_strv_contains((const char *const *)known->pdata, key))
			continue;
		val *bad = val_index(v, i);
		const char *hint = diag_suggest(key, (const char *const *)known->pdata);
		int line = bad->key_line ? bad->key_line : bad->line;
		int col = bad->key_line ? bad->key_col : bad->col;
		if (hint && !val_get(v, hint))
			g_hash_table_add(hinted, (gpointer)hint);
		if (hint)
			diag(DIAG_ERROR, bad->file, line, col,
			     "unknown key '%s' in %s (did you mean '%s'?)", key, name, hint);
		else
			diag(DIAG_ERROR, bad->file, line, col,
			     "unknown key '%s' in %s", key, name);
		ok = false;
	}
	ok = check_renamed(v, schema, what, hinted) && ok;
	for (guint i = 0; i < val_len(schema); i++) {
		bool optional;
		g_autofree char *key = key_name(val_key(schema, i), &optional);
		const val *sub = val_index(schema, i);
		val *got = val_get(v, key);
		g_autofree char *path = join(what, key);
		if (sub->kind == VAL_STRING) {
			const char *enum_list;
			bool type_opt;
			if (parse_type(sub->str, &type_opt, &enum_list) == T_RENAMED)
				continue;	/* said above */
			optional = optional || type_opt;
		}
		if (!got || got->kind == VAL_NULL) {
			if (!optional && !(!got && g_hash_table_contains(hinted, key))) {
				const val *at = got ? got : v;
				/* At the top of a file the file is the place: no prefix. */
				diag(DIAG_ERROR, at->file, at->line, at->col,
				     "%s%srequired key '%s' is %s", what, *what ? ": " : "",
				     key, got ? "empty" : "missing");
				ok = false;
			}
			continue;
		}
		ok = check(got, sub, path) && ok;
	}
	return ok;
}

static bool
check(val *v, const val *schema, const char *what)
{
	switch (schema->kind) {
	case VAL_MAP:
		return check_map(v, schema, what);
	case VAL_LIST: {
		if (v->kind != VAL_LIST) {
			g_autofree char *s = shown(v);
			diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be a list, got %s", what, s);
			return false;
		}
		bool ok = true;
		for (guint i = 0; i < val_len(v); i++) {
			g_autofree char *item = g_strdup_printf("%s[%u]", what, i + 1);
			ok = check(val_index(v, i), val_index(schema, 0), item) && ok;
		}
		return ok;
	}
	case VAL_STRING: {
		bool optional;
		const char *enum_list;
		scalar_type t = parse_type(schema->str, &optional, &enum_list);
		if (v->kind == VAL_LIST || v->kind == VAL_MAP) {
			diag(DIAG_ERROR, v->file, v->line, v->col, "%s must be %s, got a %s",
			     what, t == T_ENUM ? "a single word" : type_info[t].expect,
			     val_kind_name(v->kind));
			return false;
		}
		return check_scalar(v, t, enum_list, what);
	}
	default:
		return true;
	}
}

bool
schema_check(val *v, const val *schema, const char *what)
{
	return check(v, schema, what);
}

bool
schema_validate_schema(const val *schema)
{
	switch (schema->kind) {
	case VAL_MAP:
		for (guint i = 0; i < val_len(schema); i++)
			if (!schema_validate_schema(val_index(schema, i)))
				return false;
		return true;
	case VAL_LIST:
		if (val_len(schema) != 1) {
			diag(DIAG_ERROR, schema->file, schema->line, schema->col,
			     "a list in the schema holds exactly one item: the type of its elements");
			return false;
		}
		return schema_validate_schema(val_index(schema, 0));
	case VAL_STRING: {
		bool optional;
		const char *enum_list;
		if (parse_type(schema->str, &optional, &enum_list) == T_BAD) {
			diag(DIAG_ERROR, schema->file, schema->line, schema->col,
			     "unknown type '%s' in the schema", schema->str);
			return false;
		}
		return true;
	}
	default:
		diag(DIAG_ERROR, schema->file, schema->line, schema->col,
		     "a schema entry is a type name, a mapping or a one-item list");
		return false;
	}
}
