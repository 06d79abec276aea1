/* load/privacy.c - personal data kept out of case studies (load stage; see
 * privacy.h).
 */
#include <string.h>

#include "base/diag.h"
#include "load/privacy.h"

/* Phone numbers: an optional +, then digits with spaces, dots, dashes and
 * parentheses between them; at least 8 digits in all.  Dates (2026-10-21),
 * amounts with thousands commas and decimals do not match. */
static const char phone_re[] =
	"(?<![\\w.,/$-])(\\+|\\()?\\d[\\d ().-]{6,}\\d(?![\\w%]|[.,]\\d)";
/* The look-behind makes a match start only where a run of local-part
 * characters starts (where the leftmost match starts anyway); without it
 * every position of a long "a-a-a-...@x" run was tried again up to the '@',
 * quadratic: 200 KB of it took 23 s. */
static const char email_re[] =
	"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}";

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

static bool
looks_like_phone(const char *s, gsize len)
{
	int digits = 0;
	for (gsize i = 0; i < len; i++)
		digits += g_ascii_isdigit(s[i]);
	if (digits < 8 || digits > 15)
		return false;
	/* A date or a range of years is not a phone number. */
	g_autofree char *cut = g_strndup(s, len);
	if (g_regex_match_simple("^\\d{4}-\\d{2}-\\d{2}$", cut, 0, 0) ||
	    g_regex_match_simple("^\\d{4} ?- ?\\d{4}$", cut, 0, 0))
		return false;
	return true;
}

const char *
privacy_find(const char *text, gsize *offset, gsize *len)
{
	static gsize phone_once, email_once;
	GRegex *phone = compiled(phone_re, &phone_once);
	GRegex *email = compiled(email_re, &email_once);
	const char *kind = NULL;
	gsize best = G_MAXSIZE;

	g_autoptr(GMatchInfo) mi = NULL;
	if (g_regex_match(email, text, 0, &mi)) {
		int s, e;
		g_match_info_fetch_pos(mi, 0, &s, &e);
		best = (gsize)s;
		*offset = (gsize)s;
		*len = (gsize)(e - s);
		kind = "e-mail address";
	}
	g_autoptr(GMatchInfo) pi = NULL;
	g_regex_match(phone, text, 0, &pi);
	while (g_match_info_matches(pi)) {
		int s, e;
		g_match_info_fetch_pos(pi, 0, &s, &e);
		if ((gsize)s >= best)
			break;
		if (looks_like_phone(text + s, (gsize)(e - s))) {
			*offset = (gsize)s;
			*len = (gsize)(e - s);
			kind = "phone number";
			break;
		}
		g_match_info_next(pi, NULL);
	}
	return kind;
}

/* The name of a `private:` entry; NULL when it has none (reported by
 * privacy_scan_case_study: schema.yaml is the user's and may allow it). */
static const char *
private_name(const val *p)
{
	const val *n = val_get(p, "name");
	return n && n->kind == VAL_STRING && *n->str ? n->str : NULL;
}

/* Line and column of byte `off` of text that starts at line `line0`. */
static void
locate(const char *text, gsize off, int line0, int *line, int *col)
{
	diag_locate(text, strlen(text), off, line, col);
	*line += line0 - 1;
}

/* Report every finding in `text`, which starts at (line0, col0) of file.
 * `exact`: text is the file's text from there (the body); otherwise it is a
 * YAML value, whose quotes, escapes and folded lines make offsets wrong, so
 * findings are reported at the value's own position. */
static bool
scan_text(const char *file, const char *text, int line0, int col0, bool exact,
	  const val *private_names)
{
	bool ok = true;
	gsize base = 0, off, len;
	const char *kind;
	while ((kind = privacy_find(text + base, &off, &len))) {
		int line = line0, col = col0;
		if (exact)
			locate(text, base + off, line0, &line, &col);
		g_autofree char *what = g_strndup(text + base + off, len);
		diag(DIAG_ERROR, file, line, col,
		     "%s '%s' in a case study: remove or anonymize it before it goes to Meta", kind, what);
		ok = false;
		base += off + len;
	}
	for (guint i = 0; i < val_len(private_names); i++) {
		const char *name = private_name(val_index(private_names, i));
		if (!name)
			continue;
		for (const char *hit = strstr(text, name); hit; hit = strstr(hit + 1, name)) {
			int line = line0, col = col0;
			if (exact)
				locate(text, (gsize)(hit - text), line0, &line, &col);
			diag(DIAG_ERROR, file, line, col,
			     "'%s' is declared private in the front matter; give it an alias or remove it", name);
			ok = false;
		}
	}
	return ok;
}

static char *
replace_all(const char *text, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit(text, from, -1);
	return g_strjoinv(to, parts);
}

/* Replace aliased names in every string of v (front matter values). */
static void
apply_aliases(val *v, const val *private_names)
{
	if (v->kind == VAL_STRING) {
		for (guint i = 0; i < val_len(private_names); i++) {
			const val *p = val_index(private_names, i);
			const val *alias = val_get(p, "alias");
			if (!alias || alias->kind != VAL_STRING)
				continue;
			const char *name = private_name(p);
			if (!name)
				continue;
			char *r = replace_all(v->str, name, alias->str);
			g_free(v->str);
			v->str = r;
		}
	}
	for (guint i = 0; i < val_len(v); i++)
		apply_aliases(val_index(v, i), private_names);
}

static bool
scan_values(const char *file, const val *v, const val *private_names)
{
	bool ok = true;
	if (v->kind == VAL_STRING && v->line > 0)
		ok = scan_text(file, v->str, v->line, v->col, false, private_names);
	for (guint i = 0; i < val_len(v); i++)
		ok = scan_values(file, val_index(v, i), private_names) && ok;
	return ok;
}

bool
privacy_scan_case_study(val *cs)
{
	const char *file = val_get(cs, "file")->str;
	val *private_names = val_get(cs, "private");
	val *body = val_get(cs, "body");
	int body_line = (int)val_get(cs, "body_line")->num;

	bool ok = true;
	if (private_names && private_names->kind != VAL_LIST) {
		diag(DIAG_ERROR, private_names->file, private_names->line, private_names->col,
		     "private must be a list of {name, alias}");
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
		if (!strcmp(k, "body") || !strcmp(k, "file") || !strcmp(k, "private") || !strcmp(k, "slug"))
			continue;
		ok = scan_values(file, val_index(cs, i), names_left) && ok;
	}
	ok = scan_text(file, body->str, body_line, 1, true, names_left) && ok;
	val_free(names_left);
	if (ok && private_names) {
		for (guint i = 0; i < val_len(cs); i++)
			if (strcmp(val_key(cs, i), "private") && strcmp(val_key(cs, i), "file"))
				apply_aliases(val_index(cs, i), private_names);
	}
	return ok;
}
