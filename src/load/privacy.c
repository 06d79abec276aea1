/* load/privacy.c - personal data kept out of the package (load stage; see
 * privacy.h).
 *
 * Every text is looked at twice: as written (the package holds the
 * Markdown too) and as the reader of a PDF sees it (plaintext_markdown():
 * entities decoded, escapes and emphasis gone).  Each view is normalised
 * (plaintext_fold(): full-width forms, digits of every script, soft and
 * non-breaking hyphens) before the patterns and names are looked for, and
 * each finding is mapped back to the bytes of the source that gave it; a
 * finding seen both ways is reported once, where it was written.
 *
 * Each pattern is one pass of GRegex over a view (in windows, see
 * collect()), the findings sorted, then located with one forward walk: the
 * scan is linear in the text, however many findings it has.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/diag.h"
#include "load/plaintext.h"
#include "load/privacy.h"

/* ---- patterns, over a PLAINTEXT_CHARS view ------------------------------ */

/* Letters that make a number part of a word or a code ("v2", "C-001",
 * "ab12345678") are those of the scripts written with spaces and Latin
 * digits; a number written against Japanese, Chinese or Thai text
 * ("電話は03-1234-5678です") stands alone. */
#define WORDISH_ "\\p{Latin}\\p{Greek}\\p{Cyrillic}0-9_"

/* Phone numbers: an optional + or (, then digits with separators between
 * them (space, dot, dash, slash, parentheses: the view has folded no-break
 * spaces, en dashes and non-breaking hyphens into these); at least 8
 * digits in all; a dot before a space ends a sentence ("in 2025. 2026
 * started"), not a number.  Amounts with thousands commas and decimals, numbers
 * after '#' (a ticket), a currency sign or a time's colon, and numbers
 * before a time's colon ("2026-10-21 15:30": the date is left, which
 * looks_like_phone() lets go) or a currency sign do not match. */
static const char phone_re[] =
	"(?<![" WORDISH_ ".,/$#:-])(?<!\\p{Sc}\\s)(\\+|\\()?[0-9](?:[0-9 ()\\-/]|\\.(?!\\s)){6,}[0-9]"
	"(?![" WORDISH_ "%]|[.,:][0-9]|\\s?\\p{Sc})";
/* What a phone-like match is when it is not one: a date (2026-10-21,
 * 21/10/2026, 21.10.2026), a range of years (2023-2026), an amount in
 * groups of three after one or two digits (12 345 678, 12.345.678; a
 * nine-digit 912 345 678 is a Spanish phone number and stays one), an IPv4
 * address (192.168.100.200). */
#define OCTET_	"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
static const char not_phone_re[] =
	"^(?:[0-9]{4}([-/.])[0-9]{1,2}\\g{-1}[0-9]{1,2}"
	"|[0-9]{1,2}([-/.])[0-9]{1,2}\\g{-1}[0-9]{4}"
	"|[0-9]{4} ?[-/] ?[0-9]{4}"
	"|[0-9]{1,2}([ .])[0-9]{3}(?:\\g{-1}[0-9]{3})+"
	"|" OCTET_ "(?:\\." OCTET_ "){3})$";
/* A number in a WhatsApp or telephone link, whatever its length. */
static const char link_re[] =
	"(?i)(?:wa\\.me/|api\\.whatsapp\\.com/send/?\\?phone=|whatsapp://send\\?phone=|tel:)"
	"\\+?[0-9](?:(?:[.\\- ]|%20)?[0-9])*+";
/* E-mail addresses, their domains in any script (kontakt@müller-bau.de,
 * info@例え.jp; the ideographic full stop is a dot in a domain).  The
 * local part is of the scripts written with spaces, so an address written
 * against Japanese text starts where the Latin does.  The look-behind
 * makes a match start only where a run of local-part characters starts
 * (where the leftmost match starts anyway); without it every position of a
 * long "a-a-a-...@x" run was tried again up to the '@', quadratic: 200 KB
 * of it took 23 s.  A top-level domain in Latin letters ends at the first
 * letter of another script ("tanaka@example.jpまで"). */
#define LOCAL_	"\\p{Latin}\\p{Greek}\\p{Cyrillic}0-9._%+-"
#define LABEL_	"[\\p{L}\\p{M}\\p{N}-]+"
static const char email_re[] =
	"(?<![" LOCAL_ "])[" LOCAL_ "]++@" LABEL_ "(?:[.\\x{3002}]" LABEL_ ")*[.\\x{3002}]"
	"(?:[A-Za-z]{2,63}+|[\\p{L}\\p{M}]{2,63}+)";
/* Written to dodge filters: "ana at example dot com", "ana [at] example
 * [dot] com", "ana (at) example.com", "ana@example dot com".  A dot is
 * written "dot", bracketed, or is a plain dot between two labels: "all at
 * once. With" is a sentence, not an address.  obfuscated_email() then
 * lets an unbracketed " at " through only with a "dot" ("find us at
 * example.com" is a web site). */
#define AT_	"(?:\\s*@\\s*|\\s+at\\s+|\\s*[\\[({]\\s*at\\s*[\\])}]\\s*)"
#define DOT_	"(?:\\.|\\s+dot\\s+|\\s*[\\[({]\\s*dot\\s*[\\])}]\\s*)"
static const char email_obf_re[] =
	"(?i)(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++" AT_ "[A-Za-z0-9-]++(?:" DOT_ "[A-Za-z0-9-]++)*"
	DOT_ "[A-Za-z]{2,}+\\b";

/* No G_REGEX_OPTIMIZE: PCRE's JIT code is opaque to valgrind (84 false
 * 'uninitialised value' reports in make valgrind), and the scan is linear
 * without it. */
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
	static gsize not_once;
	int digits = count_digits(s, len);
	if (digits < 8 || digits > 15)
		return false;
	return !g_regex_match_full(compiled(not_phone_re, &not_once), s, (gssize)len, 0, 0, NULL, NULL);
}

static bool
link_has_number(const char *s, gsize len)
{
	return count_digits(s, len) >= 6;
}

/* " at " with plain dots is prose; with "dot", brackets or '@' it hides
 * an address. */
static bool
obfuscated_email(const char *s, gsize len)
{
	g_autofree char *m = g_ascii_strdown(s, (gssize)len);
	if (strpbrk(m, "@[({"))
		return true;
	for (const char *d = strstr(m, "dot"); d; d = strstr(d + 1, "dot"))
		if (d > m && g_ascii_isspace(d[-1]) && g_ascii_isspace(d[3]))
			return true;
	return false;
}

/* ---- findings ----------------------------------------------------------- */

typedef struct {
	guint32 from, to;	/* in the source */
	const char *kind;	/* static, or owned by the rules */
} finding;

static gint
cmp_finding(gconstpointer a, gconstpointer b)
{
	const finding *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to > y->to ? -1 : x->to < y->to;	/* the longer first */
}

/* Sorted, overlaps removed (the first, longest wins: a national ID is
 * reported as that, not also as a phone number; a finding of both views
 * once). */
static void
sort_findings(GArray *all)
{
	g_array_sort(all, cmp_finding);
	guint32 end = 0;
	guint kept = 0;
	for (guint i = 0; i < all->len; i++) {
		finding f = g_array_index(all, finding, i);
		if (kept && f.from < end)
			continue;
		g_array_index(all, finding, kept++) = f;
		end = f.to;
	}
	g_array_set_size(all, kept);
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

/* What one pass looks for, and what it lets through. */
typedef struct {
	const plaintext *view;
	const val *allow;	/* the front matter's allowed: (may be NULL) */
	GArray *out;		/* finding */
} collector;

/* Is the match one of the front matter's `allowed:` strings (compared
 * as PLAINTEXT_CHARS)? */
static bool
allowed(const char *what, gsize len, const val *allow)
{
	g_autofree char *m = g_strndup(what, len);
	for (guint i = 0; i < val_len(allow); i++) {
		const val *a = val_index(allow, i);
		if (a->kind != VAL_STRING)
			continue;
		g_autofree char *norm = plaintext_chars(a->str);
		if (!strcmp(g_strstrip(norm), m))
			return true;
	}
	return false;
}

/* Every match of `re` in the view, linear in its length; `keep` may veto
 * a match. */
static void
collect(collector *c, GRegex *re, const char *kind, bool (*keep)(const char *, gsize))
{
	const char *text = c->view->s->str;
	gsize len = c->view->s->len;
	for (gsize at = 0; at < len; ) {
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
			gsize start = from + (gsize)s, end = from + (gsize)e;
			if (start >= next)
				break;
			finding f = { 0, 0, kind };
			if (e > s && (!keep || keep(text + start, end - start)) &&
			    !allowed(text + start, end - start, c->allow) &&
			    plaintext_span(c->view, start, end, &f.from, &f.to))
				g_array_append_val(c->out, f);
			g_match_info_next(mi, NULL);
		}
		if (next >= len)
			break;
		at = next;
	}
}

/* ---- rules (templates/privacy.yaml) ------------------------------------ */

/* Words that a script writes joined to a name: Hebrew and Arabic
 * prefixes, Korean particles after it.  Each in PLAINTEXT_WORDS form. */
typedef struct {
	UScriptCode script;
	GPtrArray *prefixes;	/* char* */
	GPtrArray *suffixes;	/* char* */
} attached;

struct privacy_rules {
	GPtrArray *kinds;	/* char*, "DNI number" */
	GPtrArray *res;		/* GRegex*, parallel */
	GArray *attached;	/* attached */
};

/* At most this many attached words in a row (Hebrew "וּכְשֶׁבַּ", Arabic "وبال"). */
enum { ATTACHED_MAX = 3 };

void
privacy_rules_free(privacy_rules *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->kinds);
	g_ptr_array_unref(r->res);
	for (guint i = 0; i < r->attached->len; i++) {
		attached *a = &g_array_index(r->attached, attached, i);
		g_ptr_array_unref(a->prefixes);
		g_ptr_array_unref(a->suffixes);
	}
	g_array_unref(r->attached);
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

/* A list of words of an `attached` entry, in PLAINTEXT_WORDS form. */
static bool
attached_words(const val *list, GPtrArray *out)
{
	if (!list)
		return true;
	if (list->kind != VAL_LIST)
		return rule_error(list, "prefixes and suffixes are lists of words");
	for (guint i = 0; i < val_len(list); i++) {
		const val *w = val_index(list, i);
		if (w->kind != VAL_STRING || !*w->str)
			return rule_error(w, "each prefix or suffix is a word");
		g_ptr_array_add(out, plaintext_words(w->str));
	}
	return true;
}

/* One entry of `attached`: {script: Hebrew, prefixes: [...], suffixes: [...]}. */
static bool
attached_entry(privacy_rules *r, const val *e)
{
	const val *script = val_get(e, "script");
	if (e->kind != VAL_MAP || !script || script->kind != VAL_STRING)
		return rule_error(e, "each attached entry is {script: a Unicode script name, prefixes: [...], suffixes: [...]}");
	int code = u_getPropertyValueEnum(UCHAR_SCRIPT, script->str);
	if (code == UCHAR_INVALID_CODE) {
		diag(DIAG_ERROR, script->file, script->line, script->col,
		     "unknown script '%s': use its Unicode name, like Hebrew, Arabic or Hangul", script->str);
		return false;
	}
	attached a = { (UScriptCode)code, g_ptr_array_new_with_free_func(g_free),
		       g_ptr_array_new_with_free_func(g_free) };
	g_array_append_val(r->attached, a);
	return attached_words(val_get(e, "prefixes"), a.prefixes) &&
	       attached_words(val_get(e, "suffixes"), a.suffixes);
}

privacy_rules *
privacy_rules_new(const val *doc, const char *country)
{
	privacy_rules *r = g_new0(privacy_rules, 1);
	r->kinds = g_ptr_array_new_with_free_func(g_free);
	r->res = g_ptr_array_new_with_free_func((GDestroyNotify)g_regex_unref);
	r->attached = g_array_new(FALSE, FALSE, sizeof(attached));
	if (!doc || doc->kind == VAL_NULL)
		return r;
	const val *ids = val_get(doc, "national_ids"), *att = val_get(doc, "attached");
	if (doc->kind != VAL_MAP || !ids || ids->kind != VAL_LIST) {
		rule_error(doc, "privacy.yaml is a mapping with national_ids: a list of {country, patterns}");
		privacy_rules_free(r);
		return NULL;
	}
	bool ok = true;
	for (guint i = 0; ok && i < val_len(ids); i++)
		ok = rules_entry(r, val_index(ids, i), country ? country : "");
	if (ok && att && att->kind != VAL_LIST)
		ok = rule_error(att, "attached is a list of {script, prefixes, suffixes}");
	for (guint i = 0; ok && i < val_len(att); i++)
		ok = attached_entry(r, val_index(att, i));
	if (!ok) {
		privacy_rules_free(r);
		return NULL;
	}
	return r;
}

/* ---- phone numbers and e-mail addresses in one view --------------------- */

static void
patterns_in(const plaintext *view, const privacy_rules *rules, const val *allow, GArray *out)
{
	static gsize phone_once, email_once, obf_once, link_once;
	collector c = { view, allow, out };
	for (guint i = 0; rules && i < rules->res->len; i++)
		collect(&c, rules->res->pdata[i], rules->kinds->pdata[i], NULL);
	collect(&c, compiled(link_re, &link_once), "phone number", link_has_number);
	collect(&c, compiled(email_re, &email_once), "e-mail address", NULL);
	collect(&c, compiled(email_obf_re, &obf_once), "e-mail address", obfuscated_email);
	collect(&c, compiled(phone_re, &phone_once), "phone number", looks_like_phone);
}

/* ---- names in one view -------------------------------------------------- */

/* A name declared private, as it is looked for. */
typedef struct {
	char *words;		/* PLAINTEXT_WORDS form */
	const char *name;	/* as declared */
	const char *alias;	/* its replacement; NULL: it must not appear */
	const char *file;	/* the case study that declares it */
	bool own;		/* declared by the text's own case study */
	UScriptCode first, last;	/* the scripts of its first and last letters */
} pname;

static void
pname_clear(gpointer p)
{
	g_free(((pname *)p)->words);
}

static UScriptCode
script_of(gunichar c)
{
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode s = uscript_getScript((UChar32)c, &err);
	return U_SUCCESS(err) ? s : USCRIPT_COMMON;
}

/* A letter, digit or mark: part of the word it touches. */
static bool
word_char(gunichar c)
{
	int8_t t = u_charType((UChar32)c);
	return u_hasBinaryProperty((UChar32)c, UCHAR_ALPHABETIC) || u_isdigit((UChar32)c) ||
	       t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

/* Does a word character `c` beside a name of script `s` end the name
 * anyway?  In scripts written without spaces between words (Han, Kana,
 * Thai, Lao, Khmer, Myanmar...: ICU's uscript_breaksBetweenLetters) a name
 * is any substring; a letter of another script is another word ("とSmith"). */
static bool
separates(gunichar c, UScriptCode s)
{
	if (uscript_breaksBetweenLetters(s))
		return true;
	UScriptCode cs = script_of(c);
	return cs != s && cs != USCRIPT_INHERITED && cs != USCRIPT_COMMON;
}

static const attached *
attached_of(const privacy_rules *rules, UScriptCode s)
{
	for (guint i = 0; rules && i < rules->attached->len; i++)
		if (g_array_index(rules->attached, attached, i).script == s)
			return &g_array_index(rules->attached, attached, i);
	return NULL;
}

/* Is s[0, len) made of at most ATTACHED_MAX of the words? */
static bool
made_of(const char *s, gsize len, const GPtrArray *words, int left)
{
	if (len == 0)
		return true;
	if (left == 0)
		return false;
	for (guint i = 0; i < words->len; i++) {
		const char *w = words->pdata[i];
		gsize n = strlen(w);
		if (n <= len && !memcmp(s, w, n) && made_of(s + n, len - n, words, left - 1))
			return true;
	}
	return false;
}

/* Is the hit [i, j) of the view a mention of the name, not part of a
 * longer word?  Before it may stand attached prefixes of its script,
 * after it attached suffixes. */
static bool
stands_alone(const GString *v, gsize i, gsize j, const pname *nm, const privacy_rules *rules)
{
	const attached *pre = attached_of(rules, nm->first), *post = attached_of(rules, nm->last);
	if (i > 0) {
		const char *p = g_utf8_find_prev_char(v->str, v->str + i);
		gunichar c = g_utf8_get_char(p);
		if (word_char(c) && !separates(c, nm->first)) {
			/* The whole word before: only prefixes may make it. */
			const char *start = p;
			while (start > v->str) {
				const char *q = g_utf8_find_prev_char(v->str, start);
				if (!word_char(g_utf8_get_char(q)) || separates(g_utf8_get_char(q), nm->first))
					break;
				start = q;
			}
			if (!pre || !made_of(start, (gsize)(v->str + i - start), pre->prefixes, ATTACHED_MAX))
				return false;
		}
	}
	if (j < v->len) {
		gunichar c = g_utf8_get_char(v->str + j);
		if (word_char(c) && !separates(c, nm->last)) {
			const char *end = v->str + j;
			while (end < v->str + v->len && word_char(g_utf8_get_char(end)) &&
			       !separates(g_utf8_get_char(end), nm->last))
				end = g_utf8_next_char(end);
			if (!post || !made_of(v->str + j, (gsize)(end - (v->str + j)), post->suffixes, ATTACHED_MAX))
				return false;
		}
	}
	return true;
}

typedef struct {
	guint32 from, to;	/* in the source */
	guint name;		/* index in the names */
} name_hit;

static gint
cmp_name_hit(gconstpointer a, gconstpointer b)
{
	const name_hit *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to > y->to ? -1 : 1;	/* the longer first */
	return x->name < y->name ? -1 : x->name > y->name;
}

/* Every mention of every name in a PLAINTEXT_WORDS view. */
static void
names_in(const plaintext *view, const GArray *names, const privacy_rules *rules, GArray *out)
{
	const char *hay = view->s->str;
	for (guint k = 0; k < names->len; k++) {
		const pname *nm = &g_array_index(names, pname, k);
		gsize n = strlen(nm->words);
		if (n == 0)
			continue;
		for (const char *hit = strstr(hay, nm->words); hit; hit = strstr(hit + 1, nm->words)) {
			gsize i = (gsize)(hit - hay), j = i + n;
			if (!stands_alone(view->s, i, j, nm, rules))
				continue;
			name_hit h = { 0, 0, k };
			if (plaintext_span(view, i, j, &h.from, &h.to))
				g_array_append_val(out, h);
		}
	}
}

/* ---- one text, both views ----------------------------------------------- */

/* What a scan looks for in one text. */
typedef struct {
	const privacy_rules *rules;
	bool patterns;		/* phone numbers, e-mail addresses, national IDs */
	const val *allow;	/* strings that may stay */
	const GArray *names;	/* pname */
	GPtrArray *images;	/* when not NULL: gets each image's URL (char*) */
} scan_what;

static void
image_seen(const char *url, guint32 at, void *data)
{
	g_ptr_array_add(data, g_strdup(url));
}

/* The findings and name mentions of `text`, each sorted, overlaps removed. */
static void
scan_views(const char *text, const scan_what *w, GArray *found, GArray *hits)
{
	gsize len = strlen(text);
	plaintext md;
	plaintext_markdown(&md, text, len, w->images ? image_seen : NULL, w->images);
	for (int v = 0; v < 2; v++) {
		const plaintext *map = v ? &md : NULL;
		plaintext chars, words;
		plaintext_fold(&chars, v ? md.s->str : text, v ? md.s->len : len, map, PLAINTEXT_CHARS);
		if (w->patterns)
			patterns_in(&chars, w->rules, w->allow, found);
		if (w->names && w->names->len) {
			plaintext_fold(&words, chars.s->str, chars.s->len, &chars, PLAINTEXT_WORDS);
			names_in(&words, w->names, w->rules, hits);
			plaintext_clear(&words);
		}
		plaintext_clear(&chars);
	}
	plaintext_clear(&md);
	sort_findings(found);
	g_array_sort(hits, cmp_name_hit);
}

const char *
privacy_find(const char *text, gsize *offset, gsize *len)
{
	scan_what w = { NULL, true, NULL, NULL, NULL };
	g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(finding));
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(name_hit));
	scan_views(text, &w, found, hits);
	if (found->len == 0)
		return NULL;
	finding f = g_array_index(found, finding, 0);
	*offset = f.from;
	*len = f.to - f.from;
	return f.kind;
}

/* ---- reporting ---------------------------------------------------------- */

/* Where a text is: a case study's body is located character by character
 * (line0, col0 is where it starts); a YAML value, whose quotes, escapes and
 * folded lines make offsets wrong, at the value's own position. */
typedef struct {
	const char *file;
	int line0, col0;
	bool exact;
	const char *text;
	gsize at;		/* the cursor: a forward walk, linear in all */
	int line, col;
} place;

static void
place_init(place *p, const char *file, const char *text, int line, int col, bool exact)
{
	*p = (place){ file, line, col, exact, text, 0, line, col };
}

static void
place_to(place *p, gsize off)
{
	for (; p->at < off && p->text[p->at]; p->at++) {
		unsigned char ch = (unsigned char)p->text[p->at];
		if (ch == '\n') {
			p->line++;
			p->col = 1;
		} else if ((ch & 0xC0) != 0x80) {
			p->col++;
		}
	}
}

static void G_GNUC_PRINTF(3, 4)
report(place *p, gsize off, const char *fmt, ...)
{
	place_to(p, off);
	va_list ap;
	va_start(ap, fmt);
	diag_v(DIAG_ERROR, p->file, p->exact ? p->line : p->line0, p->exact ? p->col : p->col0, fmt, ap);
	va_end(ap);
}

/* The source of a name mention, or why a name must not appear. */
static void
report_name(place *p, const name_hit *h, const pname *nm)
{
	if (nm->own || !nm->file)
		report(p, h->from, "'%s' is declared private in the front matter; give it an alias or remove it",
		       nm->name);
	else
		report(p, h->from, "'%s' is declared private in %s; give it an alias there or remove it",
		       nm->name, nm->file);
}

/* `text` with each aliased mention replaced by its alias; NULL when it has
 * none.  Mentions are sorted and do not overlap. */
static char *
replaced(const char *text, const GArray *hits, const GArray *names)
{
	GString *out = NULL;
	gsize at = 0;
	for (guint i = 0; i < hits->len; i++) {
		name_hit h = g_array_index(hits, name_hit, i);
		const pname *nm = &g_array_index(names, pname, h.name);
		if (!nm->alias)
			continue;
		if (!out)
			out = g_string_new(NULL);
		/* A mention with emphasis inside it ("**Ana** _Gómez_") goes
		 * with the emphasis around it, so none is left unbalanced. */
		guint32 a = h.from, b = h.to;
		bool marked = false;
		for (guint32 k = a; k < b; k++)
			marked |= text[k] == '*' || text[k] == '_';
		while (marked && a > at && (text[a - 1] == '*' || text[a - 1] == '_'))
			a--;
		while (marked && text[b] && (text[b] == '*' || text[b] == '_'))
			b++;
		g_string_append_len(out, text + at, (gssize)(a - at));
		g_string_append(out, nm->alias);
		at = b;
	}
	if (!out)
		return NULL;
	g_string_append(out, text + at);
	return g_string_free(out, FALSE);
}

/* A replacement waiting for the whole scan to pass. */
typedef struct {
	val *v;
	char *str;
} pending;

/* The whole scan: what it reports and what it will replace. */
typedef struct {
	bool ok;
	GArray *pending;	/* pending */
} scan_state;

/* Look at one text (the string of `v`) and report what it holds. */
static void
scan_text(scan_state *st, val *v, place *p, const scan_what *w)
{
	g_autoptr(GArray) found = g_array_new(FALSE, FALSE, sizeof(finding));
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(name_hit));
	scan_views(v->str, w, found, hits);
	for (guint i = 0; i < found->len; i++) {
		finding f = g_array_index(found, finding, i);
		g_autofree char *what = g_strndup(v->str + f.from, f.to - f.from);
		report(p, f.from, "%s '%s' in a case study: remove or anonymize it before it goes to Meta",
		       f.kind, what);
		st->ok = false;
	}
	/* One mention each: the first, longest name there; a name without an
	 * alias inside an aliased one goes with it. */
	guint kept = 0;
	guint32 end = 0;
	for (guint i = 0; i < hits->len; i++) {
		name_hit h = g_array_index(hits, name_hit, i);
		if (kept && h.from < end)
			continue;
		g_array_index(hits, name_hit, kept++) = h;
		end = h.to;
	}
	g_array_set_size(hits, kept);
	place_init(p, p->file, p->text, p->line0, p->col0, p->exact);
	for (guint i = 0; i < hits->len; i++) {
		name_hit h = g_array_index(hits, name_hit, i);
		const pname *nm = &g_array_index(w->names, pname, h.name);
		if (!nm->alias) {
			report_name(p, &h, nm);
			st->ok = false;
		}
	}
	char *r = replaced(v->str, hits, w->names);
	if (r) {
		pending q = { v, r };
		g_array_append_val(st->pending, q);
	}
}

/* ---- images ------------------------------------------------------------- */

bool
privacy_image_outside(const char *url)
{
	g_autofree char *scheme = g_uri_parse_scheme(url);
	bool remote = scheme && (!g_ascii_strcasecmp(scheme, "http") || !g_ascii_strcasecmp(scheme, "https"));
	bool escapes = url[0] == '/' || url[0] == '\\' || (scheme && !remote);
	g_auto(GStrv) parts = g_strsplit_set(url, "/\\", -1);
	for (char **p = parts; !scheme && *p && !escapes; p++)
		escapes = !strcmp(*p, "..");
	return escapes;
}

/* ---- the declarations --------------------------------------------------- */

/* The name of a `private:` entry; NULL when it has none. */
static const char *
private_name(const val *p)
{
	const val *n = val_get(p, "name");
	return n && n->kind == VAL_STRING && *n->str ? n->str : NULL;
}

static const char *
private_alias(const val *p)
{
	const val *a = val_get(p, "alias");
	return a && a->kind == VAL_STRING ? a->str : NULL;
}

bool
privacy_check_case_study(const val *cs)
{
	const val *private_names = val_get(cs, "private");
	const val *allow = val_get(cs, "allowed");
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
	bool ok = true;
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
	return ok;
}

/* The first and last letters' scripts of a name. */
static void
name_scripts(pname *nm)
{
	nm->first = nm->last = USCRIPT_COMMON;
	for (const char *p = nm->words; *p; p = g_utf8_next_char(p)) {
		UScriptCode s = script_of(g_utf8_get_char(p));
		if (s == USCRIPT_COMMON || s == USCRIPT_INHERITED)
			continue;
		if (nm->first == USCRIPT_COMMON)
			nm->first = s;
		nm->last = s;
	}
}

/* Add the names `cs` declares (own: for its own text) to `names`, unless
 * one of the same form is there; a name there without an alias takes the
 * first alias given to it. */
static void
add_names(GArray *names, const val *cs, bool own)
{
	const val *list = val_get(cs, "private");
	const val *file = val_get(cs, "file");
	for (guint i = 0; i < val_len(list); i++) {
		const val *p = val_index(list, i);
		if (!private_name(p))
			continue;
		pname nm = { plaintext_words(private_name(p)), private_name(p), private_alias(p),
			     file && file->kind == VAL_STRING ? file->str : NULL, own, 0, 0 };
		bool seen = false;
		for (guint k = 0; k < names->len && !seen; k++) {
			pname *o = &g_array_index(names, pname, k);
			if (strcmp(o->words, nm.words))
				continue;
			seen = true;
			if (!o->alias && !o->own)
				o->alias = nm.alias;
		}
		if (seen || !*nm.words) {
			g_free(nm.words);
			continue;
		}
		name_scripts(&nm);
		g_array_append_val(names, nm);
	}
}

static GArray *
names_new(void)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(pname));
	g_array_set_clear_func(a, pname_clear);
	return a;
}

/* ---- the walk over content ---------------------------------------------- */

/* Keys of a case study that hold no text of the package. */
static bool
not_text(const char *key)
{
	static const char *const keys[] = { "body", "body_line", "file", "private", "slug", "allowed", NULL };
	return g_strv_contains(keys, key);
}

/* Every string under v that a document can show: names (and, in case
 * studies, phone numbers and addresses) looked for; images that come from
 * outside the package refused. */
static void
scan_values(scan_state *st, val *v, const scan_what *w, const char *image_rule)
{
	if (v->kind == VAL_STRING && v->line > 0) {
		bool markup = strstr(v->str, "![") != NULL;
		if (w->patterns || (w->names && w->names->len) || markup) {
			g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func(g_free);
			scan_what here = *w;
			here.images = markup ? images : NULL;
			place p;
			place_init(&p, v->file, v->str, v->line, v->col, false);
			scan_text(st, v, &p, &here);
			for (guint i = 0; i < images->len; i++)
				if (privacy_image_outside(images->pdata[i])) {
					diag(DIAG_ERROR, v->file, v->line, v->col,
					     "image '%s' is outside the package: %s (no '/' at the start, no '..', "
					     "no file:// URL)", (char *)images->pdata[i], image_rule);
					st->ok = false;
				}
		}
	}
	for (guint i = 0; i < val_len(v); i++)
		scan_values(st, val_index(v, i), w, image_rule);
}

static const char case_image_rule[] = "a case study's images are relative paths inside it";

/* One case study: its front matter's values, then its body. */
static void
scan_case_study(scan_state *st, val *cs, const GArray *names, const privacy_rules *rules)
{
	const char *file = val_get(cs, "file")->str;
	val *body = val_get(cs, "body");
	const val *line = val_get(cs, "body_line");
	scan_what w = { rules, true, val_get(cs, "allowed"), names, NULL };
	for (guint i = 0; i < val_len(cs); i++)
		if (!not_text(val_key(cs, i)))
			scan_values(st, val_index(cs, i), &w, case_image_rule);
	if (body && body->kind == VAL_STRING) {
		place p;
		place_init(&p, file, body->str, line ? (int)line->num : 1, 1, true);
		scan_text(st, body, &p, &w);
	}
}

static void
apply_pending(scan_state *st)
{
	for (guint i = 0; i < st->pending->len; i++) {
		pending *q = &g_array_index(st->pending, pending, i);
		if (st->ok) {
			g_free(q->v->str);
			q->v->str = q->str;
		} else {
			g_free(q->str);
		}
	}
}

bool
privacy_scan_case_study(val *cs, const privacy_rules *rules)
{
	if (!privacy_check_case_study(cs))
		return false;
	scan_state st = { true, g_array_new(FALSE, FALSE, sizeof(pending)) };
	g_autoptr(GArray) names = names_new();
	add_names(names, cs, true);
	scan_case_study(&st, cs, names, rules);
	apply_pending(&st);
	g_array_unref(st.pending);
	return st.ok;
}

bool
privacy_scan_content(val *root, const privacy_rules *rules)
{
	scan_state st = { true, g_array_new(FALSE, FALSE, sizeof(pending)) };
	val *cases = val_get(root, "case_studies");
	/* Everything but the case studies: names declared anywhere, images. */
	g_autoptr(GArray) all = names_new();
	for (guint i = 0; i < val_len(cases); i++)
		add_names(all, val_index(cases, i), false);
	scan_what w = { rules, false, NULL, all, NULL };
	for (guint i = 0; i < val_len(root); i++)
		if (strcmp(val_key(root, i), "case_studies"))
			scan_values(&st, val_index(root, i), &w,
				    "images in content are relative paths inside the package");
	/* Each case study: its own names first (their aliases win), then the others'. */
	for (guint i = 0; i < val_len(cases); i++) {
		val *cs = val_index(cases, i);
		g_autoptr(GArray) names = names_new();
		add_names(names, cs, true);
		for (guint k = 0; k < val_len(cases); k++)
			if (k != i)
				add_names(names, val_index(cases, k), false);
		scan_case_study(&st, cs, names, rules);
	}
	apply_pending(&st);
	g_array_unref(st.pending);
	return st.ok;
}
