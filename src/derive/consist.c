/* derive/consist.c - consistency checks of the content (see consist.h).
 *
 * Runs on the loaded content, before derive: every value has its file,
 * line and column, so each finding points at the value to fix.  Each check
 * is one function over the snapshots (oldest first) or the other files.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive/consist.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/fmt.h"
#include "derive/metrics.h"
#include "derive/cost.h"

typedef struct {
	diag_level level;	/* DIAG_WARNING, or DIAG_ERROR under --strict */
	unsigned found;
} checker;

static void G_GNUC_PRINTF(3, 4)
finding(checker *ck, const val *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_v(ck->level, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, fmt, ap);
	va_end(ap);
	ck->found++;
}

static int
snapshot_month(const val *s)
{
	return fmt_month_index(val_get(s, "month")->str);
}

/* "content/metrics/2026-10.yaml:15" for messages that point elsewhere too. */
static char *
where(const val *v)
{
	return g_strdup_printf("%s:%d", v->file ? v->file : "?", v->line);
}

/* ---- within one snapshot -------------------------------------------- */

/* Each figure that counts a list (metric table: counts) against the rows
 * listed: whatsapp_ai_clients against clients. */
static void
check_counts(checker *ck, const val *s)
{
	for (guint i = 0; i < metric_count(); i++) {
		const metric *m = metric_at(i);
		const val *list = m->counts ? val_get(s, m->counts) : NULL;
		const val *count = val_get(s, m->key);
		if (!list || !count || count->kind != VAL_NUMBER || (double)val_len(list) == count->num)
			continue;
		g_autofree char *at = where(list);
		bool one = val_len(list) == 1;
		finding(ck, count, "%s is %.0f, but %u %s %s listed (%s): update one of them",
			m->key, count->num, val_len(list), one && m->counts_one ? m->counts_one : m->counts,
			one ? "is" : "are", at);
	}
}

/* The month's uptime against the downtime its incidents add up to. */
static void
check_uptime(checker *ck, const val *s)
{
	const val *list = val_get(s, "incidents");
	const val *uptime = val_get(s, "uptime_percent");
	if (!list || !uptime || uptime->kind != VAL_NUMBER)
		return;
	double minutes = 0;
	for (guint i = 0; i < val_len(list); i++)
		minutes += val_num(val_index(list, i), "minutes");
	int days = fmt_days_in_month(snapshot_month(s));
	double implied = 100.0 * (1.0 - minutes / (days * 1440.0));
	if (fabs(implied - uptime->num) > CONSIST_UPTIME_TOLERANCE + 1e-9) {
		g_autofree char *shown = fmt_percent(implied, 2);
		finding(ck, uptime, "uptime_percent %s does not match the incidents: %.0f minute%s of downtime in %d days "
			"is %s uptime (tolerance %.2f points)", uptime->str ? uptime->str : "?", minutes,
			minutes == 1 ? "" : "s", days, shown, CONSIST_UPTIME_TOLERANCE);
	}
}

static bool
same_incident(const val *a, const val *b)
{
	const val *da = val_get(a, "date"), *db = val_get(b, "date");
	const val *ca = val_get(a, "cause"), *cb = val_get(b, "cause");
	return da && db && da->kind == VAL_STRING && db->kind == VAL_STRING && !strcmp(da->str, db->str) &&
	       ca && cb && ca->kind == VAL_STRING && cb->kind == VAL_STRING && !strcmp(ca->str, cb->str);
}

/* Incidents dated in another month, or repeated from the previous snapshot. */
static void
check_incidents(checker *ck, const val *s, const val *prev)
{
	const val *list = val_get(s, "incidents");
	int m = snapshot_month(s);
	g_autofree char *mname = fmt_month_name(m);
	for (guint i = 0; i < val_len(list); i++) {
		const val *inc = val_index(list, i);
		const val *date = val_get(inc, "date");
		if (!date || date->kind != VAL_STRING)
			continue;
		const val *copy = NULL;
		const val *plist = prev ? val_get(prev, "incidents") : NULL;
		for (guint j = 0; j < val_len(plist) && !copy; j++)
			if (same_incident(inc, val_index(plist, j)))
				copy = val_index(plist, j);
		g_autofree char *ym = g_strndup(date->str, 7);
		if (copy) {
			g_autofree char *at = where(copy);
			finding(ck, date, "the incident of %s is also listed in the previous snapshot (%s): "
				"copied from last month? remove it here", date->str, at);
		} else if (fmt_month_index(ym) != m) {
			finding(ck, date, "the incident of %s is listed in the snapshot of %s: "
				"an incident belongs to the month it happened in", date->str, mname);
		}
	}
}

/* message_cost against messages × the configured rate (company.currency). */
static void
check_cost(checker *ck, const val *s, double rate, const char *rate_key)
{
	const val *cost = val_get(s, "message_cost");
	double messages = val_num(s, "messages");
	if (!cost || cost->kind != VAL_NUMBER || rate <= 0 || messages <= 0)
		return;
	double expect = messages * rate;
	if (fabs(cost->num - expect) > CONSIST_COST_TOLERANCE * expect) {
		g_autofree char *c = fmt_money(cost->num), *e = fmt_money(expect), *n = fmt_count(messages);
		g_autofree char *r = fmt_rate(rate);
		finding(ck, cost, "message_cost %s is %+.0f%% off %s messages × %s (pricing.%s) = %s "
			"(tolerance %.0f%%)", c, (cost->num / expect - 1) * 100, n, r, rate_key, e,
			CONSIST_COST_TOLERANCE * 100);
	}
}

/* Messages by category (per market) adding up to more than the month's
 * messages: one of them was not updated. */
static void
check_categories(checker *ck, const val *s)
{
	const val *messages = val_get(s, "messages");
	if (!messages || messages->kind != VAL_NUMBER)
		return;
	static const char *const cats[] = { "marketing", "utility", "authentication", "service" };
	const val *by = val_get(s, "messages_by_category"), *markets = val_get(s, "messages_by_market");
	const val *at = by && by->kind == VAL_MAP ? by : markets && markets->kind == VAL_LIST ? markets : NULL;
	double sum = 0;
	for (guint i = 0; at && i < (by == at ? 1 : val_len(markets)); i++)
		for (size_t k = 0; k < G_N_ELEMENTS(cats); k++)
			sum += val_num(by == at ? by : val_index(markets, i), cats[k]);
	if (at && sum > messages->num) {
		g_autofree char *a = fmt_count(sum), *b = fmt_count(messages->num);
		finding(ck, at, "%s adds up to %s messages, more than the month's %s (messages): update one of them",
			by == at ? "messages_by_category" : "messages_by_market", a, b);
	}
}

/* ---- across snapshots ----------------------------------------------- */

/* A count or amount that jumped by more than the factor since last month:
 * a digit too many or too few.  Percentages cannot jump that far. */
static void
check_jumps(checker *ck, const val *s, const val *prev)
{
	for (guint i = 0; i < val_len(s); i++) {
		const char *key = val_key(s, i);
		const val *v = val_index(s, i);
		const val *p = val_get(prev, key);
		if (v->kind != VAL_NUMBER || !p || p->kind != VAL_NUMBER || g_str_has_suffix(key, "_percent"))
			continue;
		if (p->num < CONSIST_JUMP_FLOOR)
			continue;
		double ratio = v->num / p->num;
		if (ratio > CONSIST_JUMP_FACTOR || ratio < 1.0 / CONSIST_JUMP_FACTOR) {
			g_autofree char *pm = fmt_month_name(snapshot_month(prev));
			g_autofree char *a = fmt_count(p->num), *b = fmt_count(v->num);
			finding(ck, v, "%s %s from %s in %s to %s (×%.2g): a typo? (checked beyond ×%g or ÷%g)",
				key, ratio > 1 ? "jumped" : "fell", a, pm, b, ratio, CONSIST_JUMP_FACTOR,
				CONSIST_JUMP_FACTOR);
		}
	}
}

/* financials.yaml, when there is one, reaches the latest snapshot's month. */
static void
check_financials(checker *ck, const val *content, int latest)
{
	const val *months = val_get(val_get(content, "financials"), "months");
	if (!months || val_len(months) == 0)
		return;
	int last = -1;
	const val *at = NULL;
	for (guint i = 0; i < val_len(months); i++) {
		const val *m = val_get(val_index(months, i), "month");
		if (m && m->kind == VAL_STRING && fmt_month_index(m->str) > last) {
			last = fmt_month_index(m->str);
			at = m;
		}
	}
	if (at && last < latest) {
		g_autofree char *ln = fmt_month_name(latest);
		g_autofree char *want = g_strdup_printf("%04d-%02d", latest / 12, latest % 12 + 1);
		finding(ck, at, "financials.yaml ends at %s, but the latest snapshot is %s: add %s", at->str, ln, want);
	}
}

/* ---- free text ------------------------------------------------------ */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* The first month named in `s` ("October 2026", "2026-10-21", "2026-10")
 * within [from, to); -1 if none.  *named is the text that names it. */
static int
stale_month_in(const char *s, int from, int to, char **named)
{
	static gsize once;	/* compiled once: this runs for every string of the content */
	if (g_once_init_enter(&once)) {
		GRegex *re = g_regex_new(
			"\\b(January|February|March|April|May|June|July|August|September|October|November|December)"
			"(?:\\s+of)?\\s+(\\d{4})\\b|\\b(\\d{4})-(0[1-9]|1[0-2])(?:-\\d{2})?\\b", 0, 0, NULL);
		g_assert(re);
		g_once_init_leave(&once, (gsize)re);
	}
	GRegex *re = (GRegex *)once;
	g_autoptr(GMatchInfo) mi = NULL;
	g_regex_match(re, s, 0, &mi);
	for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
		g_autofree char *name = g_match_info_fetch(mi, 1);
		int idx;
		if (name && *name) {
			g_autofree char *year = g_match_info_fetch(mi, 2);
			int mon = 0;
			for (int k = 0; k < 12; k++)
				if (!strcmp(name, month_names[k]))
					mon = k;
			idx = atoi(year) * 12 + mon;
		} else {
			g_autofree char *year = g_match_info_fetch(mi, 3), *mon = g_match_info_fetch(mi, 4);
			idx = atoi(year) * 12 + atoi(mon) - 1;
		}
		if (idx >= from && idx < to) {
			*named = g_match_info_fetch(mi, 0);
			return idx;
		}
	}
	return -1;
}

/* Where `named` stands in the source of string `v`: the node's position
 * is where the value starts (a block scalar's '>'), the words may be lines
 * below.  Falls back to the node when the text is not found as written
 * (folded across lines, escaped). */
static val
locate_in_source(const val *v, const char *named)
{
	val at = { .file = v->file, .line = v->line, .col = v->col };
	g_autofree char *text = NULL;
	gsize len;
	g_autofree char *why = NULL;
	if (!v->file || !file_read(v->file, FILE_MAX_CONTENT, &text, &len, &why))
		return at;
	const char *p = text;
	for (int l = 1; l < v->line && p; l++) {
		p = memchr(p, '\n', len - (gsize)(p - text));
		if (p)
			p++;
	}
	if (!p)
		return at;
	/* Only as far as the value can reach: its own lines, not the next key's. */
	const char *hit = strstr(p, named);
	int line, col;
	if (hit) {
		diag_locate(text, len, (size_t)(hit - text), &line, &col);
		if (line - v->line <= 2 + (int)(strlen(v->str) / 40)) {
			at.line = line;
			at.col = col;
		}
	}
	return at;
}

/* Every string of a file's tree (company.yaml, pricing.yaml, ...); only
 * prose (a value with a space in it), not a date field. */
static void
check_text(checker *ck, const val *v, int latest)
{
	if (v->kind == VAL_STRING && v->file) {
		g_autofree char *named = NULL;
		int m = strchr(v->str, ' ') ? stale_month_in(v->str, latest - CONSIST_STALE_MONTHS, latest, &named) : -1;
		if (m >= 0) {
			g_autofree char *month = fmt_month_name(m), *ln = fmt_month_name(latest);
			val at = locate_in_source(v, named);
			finding(ck, &at, "this text names %s, but the latest snapshot is %s: is it still true?",
				month, ln);
		}
		return;
	}
	for (guint i = 0; i < val_len(v); i++)
		check_text(ck, val_index(v, i), latest);
}

unsigned
consist_check(const val *content, bool strict)
{
	checker ck = { .level = strict ? DIAG_ERROR : DIAG_WARNING };
	const val *metrics = val_get(content, "metrics");
	guint n = val_len(metrics);
	if (n == 0)
		return 0;
	const val *pricing = val_get(content, "pricing");
	const val *mrate = val_get(pricing, "metrics_cost_per_message");
	bool own_rate = mrate && mrate->kind == VAL_NUMBER;
	/* The BSP's rate is quoted in pricing.quoted_in; without an exchange
	 * rate for it (an error derive reports) there is nothing to compare. */
	const val *quoted = val_get(pricing, "quoted_in");
	double rate = own_rate ? mrate->num
			       : val_num(pricing, "bsp_per_message") *
				 cost_exchange(content, quoted && quoted->kind == VAL_STRING ? quoted->str : NULL, NULL);

	for (guint i = 0; i < n; i++) {
		const val *s = val_index(metrics, i);
		const val *prev = i ? val_index(metrics, i - 1) : NULL;
		check_counts(&ck, s);
		check_uptime(&ck, s);
		check_incidents(&ck, s, prev);
		check_categories(&ck, s);
		check_cost(&ck, s, rate, own_rate ? "metrics_cost_per_message" : "bsp_per_message");
		if (prev)
			check_jumps(&ck, s, prev);
	}
	int latest = snapshot_month(val_index(metrics, n - 1));
	check_financials(&ck, content, latest);
	/* Free text of the company files; snapshots, case studies (which tell
	 * past events) and the financial months are not prose about "now". */
	for (guint i = 0; i < val_len(content); i++) {
		const char *key = val_key(content, i);
		if (!strcmp(key, "metrics") || !strcmp(key, "case_studies") || !strcmp(key, "financials") ||
		    !strcmp(key, "rate_card"))	/* templates/rate-card.yaml: dated rates, not prose */
			continue;
		check_text(&ck, val_index(content, i), latest);
	}
	return ck.found;
}
