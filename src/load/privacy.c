/* load/privacy.c - personal data kept out of case studies (load stage; see
 * privacy.h).
 *
 * Each text is scanned once per pattern (one pass of GRegex each, matches
 * collected, sorted, then located with one forward walk), so the scan is
 * linear in the text, however many findings it has.  Names are compared
 * in a normalised copy of the text (see norm_text) that keeps, for each of
 * its bytes, the offset it came from.
 */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "load/privacy.h"

/* Phone numbers: an optional + or (, then digits with separators between
 * them (space, no-break spaces, dot, dash, en dash, slash, parentheses);
 * at least 8 digits in all.  Dates (2026-10-21, 21/10/2026), amounts with
 * thousands commas and decimals do not match. */
static const char phone_re[] =
	"(?<![\\w.,/$\\x{2013}-])(\\+|\\()?\\d[\\d ().\\-/\\x{00A0}\\x{202F}\\x{2013}]{6,}\\d"
	"(?![\\w%]|[.,]\\d)";
/* A number in a WhatsApp or telephone link, whatever its length. */
static const char link_re[] =
	"(?i)(?:wa\\.me/|api\\.whatsapp\\.com/send/?\\?phone=|whatsapp://send\\?phone=|tel:)"
	"\\+?\\d(?:(?:[.\\- \\x{00A0}]|%20)?\\d)*+";
/* The look-behind makes a match start only where a run of local-part
 * characters starts (where the leftmost match starts anyway); without it
 * every position of a long "a-a-a-...@x" run was tried again up to the '@',
 * quadratic: 200 KB of it took 23 s. */
static const char email_re[] =
	"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";
/* Written to dodge filters: "ana at example dot com", "ana [at] example
 * [dot] com", "ana (at) example.com", "ana@example dot com". */
#define AT_	"(?:\\s*@\\s*|\\s+at\\s+|\\s*[\\[({]\\s*at\\s*[\\])}]\\s*)"
#define DOT_	"(?:\\s*\\.\\s*|\\s+dot\\s+|\\s*[\\[({]\\s*dot\\s*[\\])}]\\s*)"
static const char email_obf_re[] =
	"(?i)(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++" AT_ "[A-Za-z0-9-]++(?:" DOT_ "[A-Za-z0-9-]++)*"
	DOT_ "[A-Za-z]{2,}+\\b";

static GRegex *
compiled(const char *pattern, gsize *once)
{
	if (g_once_init_enter(once)) {
		GRegex *re = g_regex_new(pattern, 0, 0, NULL);
		g_assert(re);
		g_once_init_leave(once, (gsize)re);
	}
	return (GRegex *)*once;
}

static int
count_digits(const char *s, gsize len)
{
	int digits = 0;
	for (gsize i = 0; i < len; i++)
		digits += g_ascii_isdigit(s[i]);
	return digits;
}

static bool
looks_like_phone(const char *s, gsize len)
{
	int digits = count_digits(s, len);
	if (digits < 8 || digits > 15)
		return false;
	/* A date or a range of years is not a phone number. */
	g_autofree char *cut = g_strndup(s, len);
	if (g_regex_match_simple("^\\d{4}-\\d{2}-\\d{2}$", cut, 0, 0) ||
	    g_regex_match_simple("^\\d{1,2}/\\d{1,2}/\\d{4}$|^\\d{4}/\\d{1,2}/\\d{1,2}$", cut, 0, 0) ||
	    g_regex_match_simple("^\\d{4} ?[-\\x{2013}/] ?\\d{4}$", cut, 0, 0))
		return false;
	return true;
}

/* ---- findings ----------------------------------------------------------- */

typedef struct {
	gsize off, len;
	const char *kind;	/* static, or owned by the rules */
} finding;

static gint
cmp_finding(gconstpointer a, gconstpointer b)
{
	const finding *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->len > y->len ? -1 : x->len < y->len;	/* the longer first */
}

/* GLib 2.74 checks the whole rest of the subject's UTF-8 again for every
 * g_match_info_next(), so one pass over a long text is quadratic in its
 * matches (12,000 phone numbers: 0.9 s; in G_REGEX_RAW mode 3.5 ms).  The
 * text is matched in windows instead: each match that starts in
 * [at, at + SCAN_STEP) is found in a subject that begins SCAN_BEHIND bytes
 * earlier (so look-behinds see what precedes it) and runs SCAN_AHEAD bytes
 * further (longer than any address or number: an e-mail address has at most
 * 320 characters).  Windows start and end on character boundaries. */
enum { SCAN_STEP = 4096, SCAN_BEHIND = 64, SCAN_AHEAD = 1024 };

static gsize
char_start(const char *text, gsize len, gsize i)
{
	while (i > 0 && i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
		i--;
	return MIN(i, len);
}

/* Every match of `re` in text, linear in its length; `keep` may veto a match. */
static void
collect(GArray *out, GRegex *re, const char *text, const char *kind,
	bool (*keep)(const char *, gsize))
{
	gsize len = strlen(text);
	for (gsize at = 0; at < len || at == 0; ) {
		gsize next = char_start(text, len, at + SCAN_STEP);
		if (next <= at)
			next = len;
		gsize from = char_start(text, len, at > SCAN_BEHIND ? at - SCAN_BEHIND : 0);
		gsize to = char_start(text, len, next + SCAN_AHEAD);
		if (next + SCAN_AHEAD >= len)
			to = len;
		g_autoptr(GMatchInfo) mi = NULL;
		g_regex_match_full(re, text + from, (gssize)(to - from), (int)(at - from), 0, &mi, NULL);
		while (g_match_info_matches(mi)) {
			int s, e;
			g_match_info_fetch_pos(mi, 0, &s, &e);
			gsize start = from + (gsize)s;
			if (start >= next)
				break;
			if (e > s && (!keep || keep(text + start, (gsize)(e - s)))) {
				finding f = { start, (gsize)(e - s), kind };
				g_array_append_val(out, f);
			}
			g_match_info_next(mi, NULL);
		}
		if (next >= len)
			break;
		at = next;
	}
}

static bool
link_has_number(const char *s, gsize len)
{
	return count_digits(s, len) >= 6;
}

/* ---- national ID rules (templates/privacy.yaml) ------------------------ */

struct privacy_rules {
	GPtrArray *kinds;	/* char*, "DNI number" */
	GPtrArray *res;		/* GRegex*, parallel */
};

void
privacy_rules_free(privacy_rules *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->kinds);
	g_ptr_array_unref(r->res);
	g_free(r);
}

/* Country names compare without case, accents or surrounding spaces. */
static char *
fold_name(const char *s)
{
	g_autofree char *t = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	GString *out = g_string_new(NULL);
	for (const char *p = t; p && *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_ismark(c))
			g_string_append_unichar(out, g_unichar_tolower(c));
	}
	return g_strstrip(g_string_free(out, FALSE));
}

static bool
rule_error(const val *v, const char *what)
{
	diag(DIAG_ERROR, v->file, v->line, v->col, "%s", what);
	return false;
}

/* One entry of national_ids: add its patterns when it names `country`. */
static bool
rules_entry(privacy_rules *r, const val *e, const char *country)
{
	if (e->kind != VAL_MAP)
		return rule_error(e, "each national_ids entry is a mapping with country and patterns");
	const val *names = val_get(e, "country"), *pats = val_get(e, "patterns");
	if (!names || names->kind != VAL_LIST || !pats || pats->kind != VAL_LIST)
		return rule_error(e, "a national_ids entry needs country (a list of names) and patterns (a list)");
	bool match = false;
	for (guint i = 0; i < val_len(names); i++) {
		const val *n = val_index(names, i);
		if (n->kind != VAL_STRING)
			return rule_error(n, "a country name must be text");
		g_autofree char *a = fold_name(n->str), *b = fold_name(country);
		match |= !strcmp(a, b);
	}
	for (guint i = 0; i < val_len(pats); i++) {
		const val *p = val_index(pats, i);
		const val *kind = val_get(p, "kind"), *re = val_get(p, "pattern");
		if (!kind || kind->kind != VAL_STRING || !re || re->kind != VAL_STRING)
			return rule_error(p, "each pattern is {kind: what it is, pattern: a regular expression}");
		g_autoptr(GError) err = NULL;
		GRegex *rx = g_regex_new(re->str, 0, 0, &err);
		if (!rx) {
			diag(DIAG_ERROR, re->file, re->line, re->col, "bad regular expression: %s", err->message);
			return false;
		}
		if (!match) {	/* checked all the same, so a typo shows in any country */
			g_regex_unref(rx);
			continue;
		}
		g_ptr_array_add(r->kinds, g_strdup(kind->str));
		g_ptr_array_add(r->res, rx);
	}
	return true;
}

privacy_rules *
privacy_rules_new(const val *doc, const char *country)
{
	privacy_rules *r = g_new0(privacy_rules, 1);
	r->kinds = g_ptr_array_new_with_free_func(g_free);
	r->res = g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
	if (!doc || doc->kind == VAL_NULL)
		return r;
	const val *ids = val_get(doc, "national_ids");
	if (doc->kind != VAL_MAP || !ids || ids->kind != VAL_LIST) {
		rule_error(doc, "privacy.yaml is a mapping with national_ids: a list of {country, patterns}");
		privacy_rules_free(r);
		return NULL;
	}
	for (guint i = 0; i < val_len(ids); i++)
		if (!rules_entry(r, val_index(ids, i), country ? country : "")) {
			privacy_rules_free(r);
			return NULL;
		}
	return r;
}

/* ---- finding everything in one text ------------------------------------ */

/* Every finding in text, sorted, overlaps removed (the first, longest wins:
 * a national ID is reported as that, not also as a phone number). */
static GArray *
find_all(const char *text, const privacy_rules *rules)
{
	static gsize phone_once, email_once, obf_once, link_once;
	GArray *all = g_array_new(FALSE, FALSE, sizeof(finding));
	for (guint i = 0; rules && i < rules->res->len; i++)
		collect(all, rules->res->pdata[i], text, rules->kinds->pdata[i], NULL);
	collect(all, compiled(link_re, &link_once), text, "phone number", link_has_number);
	collect(all, compiled(email_re, &email_once), text, "e-mail address", NULL);
	collect(all, compiled(email_obf_re, &obf_once), text, "e-mail address", NULL);
	collect(all, compiled(phone_re, &phone_once), text, "phone number", looks_like_phone);
	g_array_sort(all, cmp_finding);
	gsize end = 0;
	guint kept = 0;
	for (guint i = 0; i < all->len; i++) {
		finding f = g_array_index(all, finding, i);
		if (kept && f.off < end)
			continue;
		g_array_index(all, finding, kept++) = f;
		end = f.off + f.len;
	}
	g_array_set_size(all, kept);
	return all;
}

const char *
privacy_find(const char *text, gsize *offset, gsize *len)
{
	g_autoptr(GArray) all = find_all(text, NULL);
	if (all->len == 0)
		return NULL;
	finding f = g_array_index(all, finding, 0);
	*offset = f.off;
	*len = f.len;
	return f.kind;
}

/* ---- names, compared in a normalised text ------------------------------ */

/* `text` without case, accents, Markdown emphasis (* and _) and with every
 * run of white space (line breaks, no-break spaces) as one space; map[i]
 * is the offset in `text` of the character that gave byte i (map[len] the
 * end).  A name matches the same normalisation of itself. */
typedef struct {
	GString *s;
	GArray *map;	/* gsize */
} normed;

static void
norm_text(const char *text, normed *n)
{
	n->s = g_string_new(NULL);
	n->map = g_array_new(FALSE, FALSE, sizeof(gsize));
	bool space = false;
	const char *p = text;
	while (*p) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		const char *next = g_utf8_next_char(p);
		gsize at = (gsize)(p - text);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			continue;
		}
		if (g_unichar_isspace(c) || c == 0xA0 || c == 0x202F || c == '*' || c == '_') {
			space = n->s->len > 0;
			p = next;
			continue;
		}
		if (space) {
			g_string_append_c(n->s, ' ');
			g_array_append_val(n->map, at);
			space = false;
		}
		gunichar d[8];
		gsize k = g_unichar_fully_decompose(c, FALSE, d, G_N_ELEMENTS(d));
		for (gsize j = 0; j < k; j++) {
			if (g_unichar_ismark(d[j]))
				continue;
			char buf[6];
			int m = g_unichar_to_utf8(g_unichar_tolower(d[j]), buf);
			g_string_append_len(n->s, buf, m);
			for (int b = 0; b < m; b++)
				g_array_append_val(n->map, at);
		}
		p = next;
	}
	gsize end = (gsize)(p - text);
	g_array_append_val(n->map, end);
}

static void
normed_clear(normed *n)
{
	g_string_free(n->s, TRUE);
	g_array_unref(n->map);
}

static bool
word_char_before(const GString *s, gsize i)
{
	if (i == 0)
		return false;
	const char *prev = g_utf8_find_prev_char(s->str, s->str + i);
	return prev && g_unichar_isalnum(g_utf8_get_char(prev));
}

static bool
word_char_at(const GString *s, gsize i)
{
	return i < s->len && g_unichar_isalnum(g_utf8_get_char(s->str + i));
}

/* Every whole-word occurrence of `name` in text as [start, end) offsets of
 * text (appended to out as pairs). */
static void
find_name(const char *text, const normed *nt, const char *name, GArray *out)
{
	normed nn;
	norm_text(name, &nn);
	if (nn.s->len > 0) {
		const char *hay = nt->s->str;
		for (const char *hit = strstr(hay, nn.s->str); hit; hit = strstr(hit + 1, nn.s->str)) {
			gsize i = (gsize)(hit - hay), j = i + nn.s->len;
			if (word_char_before(nt->s, i) || word_char_at(nt->s, j))
				continue;
			gsize a = g_array_index(nt->map, gsize, i);
			/* The end: just after the last character of the match. */
			gsize last = g_array_index(nt->map, gsize, j - 1);
			gsize b = last + (gsize)(g_utf8_next_char(text + last) - (text + last));
			g_array_append_val(out, a);
			g_array_append_val(out, b);
		}
	}
	normed_clear(&nn);
}

/* ---- the scan of one case study ---------------------------------------- */

/* The name of a `private:` entry; NULL when it has none (reported by
 * privacy_scan_case_study: schema.yaml is the user's and may allow it). */
static const char *
private_name(const val *p)
{
	const val *n = val_get(p, "name");
	return n && n->kind == VAL_STRING && *n->str ? n->str : NULL;
}

/* A forward walk over text that turns increasing offsets into line and
 * column, linear in all. */
typedef struct {
	const char *text;
	gsize at;
	int line, col;
} cursor;

static void
cursor_to(cursor *c, gsize off)
{
	for (; c->at < off && c->text[c->at]; c->at++) {
		unsigned char ch = (unsigned char)c->text[c->at];
		if (ch == '\n') {
			c->line++;
			c->col = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c->col++;
		}
	}
}

/* Is the finding one of the front matter's `allowed:` strings? */
static bool
allowed(const char *what, const val *allow)
{
	for (guint i = 0; i < val_len(allow); i++) {
		const val *a = val_index(allow, i);
		if (a->kind == VAL_STRING && !strcmp(a->str, what))
			return true;
	}
	return false;
}

typedef struct {
	gsize off;	/* in the text */
	guint name;	/* index in the names */
} name_hit;

static gint
cmp_name_hit(gconstpointer a, gconstpointer b)
{
	const name_hit *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

/* Report every finding in `text`, which starts at (line0, col0) of file.
 * `exact`: text is the file's text from there (the body); otherwise it is a
 * YAML value, whose quotes, escapes and folded lines make offsets wrong, so
 * findings are reported at the value's own position. */
static bool
scan_text(const char *file, const char *text, int line0, int col0, bool exact,
	  const val *names_left, const privacy_rules *rules, const val *allow)
{
	bool ok = true;
	cursor c = { text, 0, line0, col0 };
	g_autoptr(GArray) all = find_all(text, rules);
	for (guint i = 0; i < all->len; i++) {
		finding f = g_array_index(all, finding, i);
		g_autofree char *what = g_strndup(text + f.off, f.len);
		if (allowed(what, allow))
			continue;
		cursor_to(&c, f.off);
		diag(DIAG_ERROR, file, exact ? c.line : line0, exact ? c.col : col0,
		     "%s '%s' in a case study: remove or anonymize it before it goes to Meta", f.kind, what);
		ok = false;
	}
	if (val_len(names_left) == 0)
		return ok;
	normed nt;
	norm_text(text, &nt);
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(name_hit));
	g_autoptr(GArray) pairs = g_array_new(FALSE, FALSE, sizeof(gsize));
	for (guint i = 0; i < val_len(names_left); i++) {
		g_array_set_size(pairs, 0);
		find_name(text, &nt, private_name(val_index(names_left, i)), pairs);
		for (guint j = 0; j < pairs->len; j += 2) {
			name_hit h = { g_array_index(pairs, gsize, j), i };
			g_array_append_val(hits, h);
		}
	}
	normed_clear(&nt);
	g_array_sort(hits, cmp_name_hit);
	c = (cursor){ text, 0, line0, col0 };
	for (guint i = 0; i < hits->len; i++) {
		name_hit h = g_array_index(hits, name_hit, i);
		cursor_to(&c, h.off);
		diag(DIAG_ERROR, file, exact ? c.line : line0, exact ? c.col : col0,
		     "'%s' is declared private in the front matter; give it an alias or remove it",
		     private_name(val_index(names_left, h.name)));
		ok = false;
	}
	return ok;
}

/* `text` with every whole-word occurrence of `name`, in any of the forms
 * norm_text() equates, replaced by `alias`.  A new string. */
static char *
replace_name(const char *text, const char *name, const char *alias)
{
	normed nt;
	norm_text(text, &nt);
	g_autoptr(GArray) pairs = g_array_new(FALSE, FALSE, sizeof(gsize));
	find_name(text, &nt, name, pairs);
	normed_clear(&nt);
	GString *out = g_string_new(NULL);
	gsize at = 0;
	for (guint j = 0; j < pairs->len; j += 2) {
		gsize a = g_array_index(pairs, gsize, j), b = g_array_index(pairs, gsize, j + 1);
		if (a < at)
			continue;	/* overlapping hit */
		g_string_append_len(out, text + at, (gssize)(a - at));
		g_string_append(out, alias);
		at = b;
	}
	g_string_append(out, text + at);
	return g_string_free(out, FALSE);
}

/* Replace aliased names in every string of v (front matter values). */
static void
apply_aliases(val *v, const val *private_names)
{
	if (v->kind == VAL_STRING) {
		for (guint i = 0; i < val_len(private_names); i++) {
			const val *p = val_index(private_names, i);
			const val *alias = val_get(p, "alias");
			const char *name = private_name(p);
			if (!alias || alias->kind != VAL_STRING || !name)
				continue;
			char *r = replace_name(v->str, name, alias->str);
			g_free(v->str);
			v->str = r;
		}
	}
	for (guint i = 0; i < val_len(v); i++)
		apply_aliases(val_index(v, i), private_names);
}

static bool
scan_values(const char *file, const val *v, const val *names_left, const privacy_rules *rules,
	    const val *allow)
{
	bool ok = true;
	if (v->kind == VAL_STRING && v->line > 0)
		ok = scan_text(file, v->str, v->line, v->col, false, names_left, rules, allow);
	for (guint i = 0; i < val_len(v); i++)
		ok = scan_values(file, val_index(v, i), names_left, rules, allow) && ok;
	return ok;
}

bool
privacy_scan_case_study(val *cs, const privacy_rules *rules)
{
	const char *file = val_get(cs, "file")->str;
	val *private_names = val_get(cs, "private");
	val *body = val_get(cs, "body");
	int body_line = (int)val_get(cs, "body_line")->num;
	const val *allow = val_get(cs, "allowed");

	bool ok = true;
	if (private_names && private_names->kind != VAL_LIST) {
		diag(DIAG_ERROR, private_names->file, private_names->line, private_names->col,
		     "private must be a list of {name, alias}");
		return false;
	}
	if (allow && allow->kind != VAL_LIST) {
		diag(DIAG_ERROR, allow->file, allow->line, allow->col,
		     "allowed must be a list of the exact strings that may stay (the company's own public line)");
		return false;
	}
	for (guint i = 0; i < val_len(private_names); i++) {
		const val *p = val_index(private_names, i);
		if (!private_name(p)) {
			diag(DIAG_ERROR, p->file, p->line, p->col,
			     "each private entry needs a name: the real name as written in the case study");
			ok = false;
		}
		const val *alias = val_get(p, "alias");
		if (alias && alias->kind != VAL_STRING) {
			diag(DIAG_ERROR, alias->file, alias->line, alias->col, "an alias must be text");
			ok = false;
		}
	}
	if (!ok)
		return false;
	/* Names with an alias are replaced first; what is left is a finding. */
	val *names_left = val_new_list();
	for (guint i = 0; i < val_len(private_names); i++) {
		val *p = val_index(private_names, i);
		if (!val_get(p, "alias"))
			val_list_add(names_left, val_copy(p));
	}
	/* Scan before replacing so positions are those of the file. */
	for (guint i = 0; i < val_len(cs); i++) {
		const char *k = val_key(cs, i);
		if (!strcmp(k, "body") || !strcmp(k, "file") || !strcmp(k, "private") ||
		    !strcmp(k, "slug") || !strcmp(k, "allowed"))
			continue;
		ok = scan_values(file, val_index(cs, i), names_left, rules, allow) && ok;
	}
	ok = scan_text(file, body->str, body_line, 1, true, names_left, rules, allow) && ok;
	val_free(names_left);
	if (ok && private_names) {
		for (guint i = 0; i < val_len(cs); i++)
			if (strcmp(val_key(cs, i), "private") && strcmp(val_key(cs, i), "file"))
				apply_aliases(val_index(cs, i), private_names);
	}
	return ok;
}
