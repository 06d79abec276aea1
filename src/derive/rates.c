/* derive/rates.c - the per-message cost model (derive stage; see rates.h).
 *
 * Reads root.rate_card (templates/rate-card.yaml, checked here: it is data
 * a user edits), pricing.provider and the snapshots' messages by category,
 * and adds cost.* for the documents, the charts and the spreadsheet.  All
 * amounts end in company.currency: the rate card's currency is converted
 * like pricing.yaml's (cost_exchange), and every rate shown is written
 * with cost_quoted_price().
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/need.h"
#include "derive/rates.h"

#define DASH	"\xE2\x80\x94"	/* — */
#define EN_DASH	"\xE2\x80\x93"	/* – */
#define N_CAT	4
#define BREAK_EVEN_LIMIT	1000	/* times this month's volume */

static const char *const cat_names[N_CAT] = { "marketing", "utility", "authentication", "service" };

/* A period of one market's rates, as it priced some month. */
typedef struct {
	const val *market;	/* the rate card's market entry */
	const val *period;	/* one of its periods */
} priced_by;

/* The model's inputs; amounts in company.currency. */
typedef struct {
	cost_quote card;	/* the rate card's currency and its conversion */
	const val *markets;	/* rate_card.markets */
	double fee;		/* the provider's fee per message */
	double markup;		/* its markup on Meta's charges, a fraction */
	double discount;	/* a Solution Partner's discount, a fraction */
	double numbers;		/* phone numbers, for allowances per number */
	double overhead;	/* pricing.bsp_overhead_monthly */
	const char *provider;	/* the provider's name */
	GArray *used;		/* priced_by: every period that priced a month, once */
} model;

/* One market's messages in one month. */
typedef struct {
	const val *market;	/* its entry in the rate card */
	const val *at;		/* where the snapshot gives them (for messages) */
	double n[N_CAT];
} counts;

/* A month along the three routes. */
typedef struct {
	double messages;	/* billed messages counted */
	double meta;		/* Meta's charges at its rates: a Tech Provider's clients pay these */
	double provider;	/* through the current provider today */
	double partner;		/* as a Solution Partner */
} month_cost;

static void
set_take(val *map, const char *key, char *text)
{
	val_map_set(map, key, val_new_string_take(text));
}

bool
rates_given(const val *s)
{
	const val *m = val_get(s, "messages_by_market"), *c = val_get(s, "messages_by_category");
	return (m && m->kind == VAL_LIST && val_len(m) > 0) || (c && c->kind == VAL_MAP);
}

/* ---- dates -------------------------------------------------------------- */

/* "YYYY-MM-DD" as a Julian day number; 0 when it is not a date. */
static guint32
day_of(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return 0;
	GDate date;
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return g_date_get_julian(&date);
}

/* The first day of month `mi` (fmt_month_index()) as a Julian day. */
static guint32
month_start(int mi)
{
	GDate date;
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, 1, (GDateMonth)(mi % 12 + 1), (GDateYear)(mi / 12));
	return g_date_get_julian(&date);
}

static const char *
str_of(const val *map, const char *key)
{
	const val *v = val_get(map, key);
	return v && v->kind == VAL_STRING ? v->str : NULL;
}

/* ---- the rate card, checked ------------------------------------------------ */

static int
category_index(const char *name)
{
	for (int c = 0; c < N_CAT; c++)
		if (!strcmp(cat_names[c], name))
			return c;
	return -1;
}

/* A map keyed by category (tiers, free_per_month): each key a category. */
static bool
check_category_keys(const val *map, const char *what)
{
	bool ok = true;
	for (guint i = 0; i < val_len(map); i++) {
		if (category_index(val_key(map, i)) >= 0)
			continue;
		const val *v = val_index(map, i);
		diag(DIAG_ERROR, v->file, v->key_line ? v->key_line : v->line, v->key_line ? v->key_col : v->col,
		     "%s: '%s' is not a category of Meta's rates (marketing, utility, authentication, service)",
		     what, val_key(map, i));
		ok = false;
	}
	return ok;
}

/* Graduated tiers: {up_to?, rate} items, up_to ascending, the last without. */
static bool
check_tiers(const val *list)
{
	bool ok = true;
	double lo = 0;
	for (guint i = 0; i < val_len(list); i++) {
		const val *t = need_item(list, i);
		const val *up = need(t, "up_to", VAL_NUMBER, true), *rate = need(t, "rate", VAL_NUMBER, false);
		bool last = i + 1 == val_len(list);
		if (rate && !(isfinite(rate->num) && rate->num >= 0)) {
			diag(DIAG_ERROR, rate->file, rate->line, rate->col, "a rate is a number of 0 or more");
			ok = false;
		}
		if (up && (last || !(up->num > lo))) {
			diag(DIAG_ERROR, up->file, up->line, up->col, last
			     ? "the last tier has no up_to: it takes every message above the one before"
			     : "tiers go up: up_to must be above the tier before's");
			ok = false;
		} else if (!up && !last && t) {
			diag(DIAG_ERROR, t->file, t->line, t->col, "every tier but the last has an up_to");
			ok = false;
		}
		lo = up ? up->num : lo;
	}
	return ok;
}

/* One period: from (a date after the period before's), source, read,
 * rates of every category, optional tiers and free_per_month. */
static bool
check_period(const val *p, guint32 after)
{
	bool ok = true;
	const val *from = need(p, "from", VAL_STRING, false);
	guint32 day = from ? day_of(from->str) : 0;
	if (from && !day) {
		diag(DIAG_ERROR, from->file, from->line, from->col, "a period's from must be a date written YYYY-MM-DD, got \"%s\"",
		     from->str);
		ok = false;
	} else if (from && day <= after) {
		diag(DIAG_ERROR, from->file, from->line, from->col,
		     "periods run oldest first: this one must start after the one before");
		ok = false;
	}
	need_str(p, "source");
	need_str(p, "read");
	const val *rates = need(p, "rates", VAL_MAP, false);
	for (int c = 0; rates && c < N_CAT; c++) {
		const val *r = need(rates, cat_names[c], VAL_NUMBER, true);
		if (!r && !val_get(rates, cat_names[c])) {
			diag(DIAG_ERROR, rates->file, rates->line, rates->col,
			     "a period gives a rate for every category: '%s' is missing (0 when it is not charged)",
			     cat_names[c]);
			ok = false;
		} else if (r && !(isfinite(r->num) && r->num >= 0)) {
			diag(DIAG_ERROR, r->file, r->line, r->col, "a rate is a number of 0 or more");
			ok = false;
		}
	}
	const val *tiers = need(p, "tiers", VAL_MAP, true);
	ok = check_category_keys(tiers, "tiers") && ok;
	for (guint i = 0; i < val_len(tiers); i++)
		ok = check_tiers(need(tiers, val_key(tiers, i), VAL_LIST, false)) && ok;
	const val *free = need(p, "free_per_month", VAL_MAP, true);
	ok = check_category_keys(free, "free_per_month") && ok;
	for (guint i = 0; i < val_len(free); i++) {
		const val *f = need(free, val_key(free, i), VAL_NUMBER, false);
		if (f && !(isfinite(f->num) && f->num >= 0)) {
			diag(DIAG_ERROR, f->file, f->line, f->col, "an allowance is a number of messages, 0 or more");
			ok = false;
		}
	}
	return ok && rates;
}

/* rate_card: its currency (and the exchange rate to company.currency), and
 * every market's periods.  `at` is where the content asks for it. */
static bool
check_card(model *m, const val *root, const val *at)
{
	const val *card = val_get(root, "rate_card");
	if (!card) {
		diag(DIAG_ERROR, at->file, at->line, at->col,
		     "messages by category are priced at Meta's rates, and the templates have no rate-card.yaml");
		return false;
	}
	bool ok = true;
	const val *cur = need(card, "currency", VAL_STRING, false);
	if (cur && !fmt_currency_known(cur->str)) {
		diag(DIAG_ERROR, cur->file, cur->line, cur->col,
		     "the rate card's currency must be an ISO 4217 code such as USD, got \"%s\"", cur->str);
		ok = false;
	} else if (cur) {
		m->card.iso = cur->str;
		m->card.fx = cost_exchange(root, cur->str, &m->card.xr);
		if (m->card.fx <= 0) {
			diag(DIAG_ERROR, cur->file, cur->line, cur->col,
			     "the rate card is in %s and company.currency is %s: add an exchange rate from %s under "
			     "pricing.exchange_rates (from, rate, date, source)", cur->str, fmt_currency(), cur->str);
			ok = false;
		}
	}
	m->markets = need_list(card, "markets");
	for (guint i = 0; i < val_len(m->markets); i++) {
		const val *mk = need_item(m->markets, i);
		need_str(mk, "market");
		need_str(mk, "name");
		const val *periods = need_list(mk, "periods");
		if (mk && periods && val_len(periods) == 0) {
			diag(DIAG_ERROR, periods->file, periods->line, periods->col, "a market needs at least one period of rates");
			ok = false;
		}
		guint32 after = 0;
		for (guint j = 0; j < val_len(periods); j++) {
			const val *p = need_item(periods, j);
			ok = check_period(p, after) && ok;
			after = MAX(after, day_of(str_of(p, "from")));
		}
	}
	return ok && cur && m->markets;
}

/* pricing.provider and the other keys of the model; false after an error. */
static bool
check_pricing(model *m, const val *pricing, const cost_quote *q)
{
	const val *prov = need(pricing, "provider", VAL_MAP, true);
	if (!prov && pricing) {
		diag(DIAG_ERROR, pricing->file, pricing->line, pricing->col,
		     "pricing.provider is needed: the snapshots give messages by category, and today's cost is Meta's "
		     "rates plus what the current provider adds (name, fee_per_message, markup_percent)");
		return false;
	}
	m->provider = need_str(prov, "name");
	const val *fee = need(prov, "fee_per_message", VAL_NUMBER, true);
	const val *markup = need(prov, "markup_percent", VAL_NUMBER, true);
	const val *discount = need(pricing, "partner_discount_percent", VAL_NUMBER, true);
	const val *numbers = need(pricing, "phone_numbers", VAL_NUMBER, true);
	m->fee = fee ? fee->num * q->fx : 0;
	m->markup = markup ? markup->num / 100 : 0;
	m->discount = discount ? discount->num / 100 : 0;
	m->numbers = numbers ? numbers->num : 1;
	m->overhead = need_num(pricing, "bsp_overhead_monthly");
	return true;
}

/* ---- counting and pricing ---------------------------------------------------- */

static const val *
find_market(const model *m, const val *code)
{
	for (guint i = 0; i < val_len(m->markets); i++) {
		const char *c = str_of(val_index(m->markets, i), "market");
		if (c && !strcmp(c, code->str))
			return val_index(m->markets, i);
	}
	GString *have = g_string_new(NULL);
	for (guint i = 0; i < val_len(m->markets); i++) {
		const char *c = str_of(val_index(m->markets, i), "market");
		g_string_append_printf(have, "%s%s", i ? ", " : "", c ? c : "?");
	}
	diag(DIAG_ERROR, code->file, code->line, code->col,
	     "no market '%s' in templates/rate-card.yaml (it has %s): add its rates there", code->str, have->str);
	g_string_free(have, TRUE);
	return NULL;
}

static bool
add_counts(GArray *out, const model *m, const val *code, const val *from)
{
	counts c = { .at = from };
	c.market = code ? find_market(m, code) : NULL;
	for (int k = 0; k < N_CAT; k++)
		c.n[k] = need_num(from, cat_names[k]);
	if (c.market)
		g_array_append_val(out, c);
	return c.market != NULL;
}

/* Snapshot `s`'s messages, a counts per market; NULL when it gives none
 * (or after an error). */
static GArray *
snapshot_counts(const model *m, const val *pricing, const val *s)
{
	if (!rates_given(s))
		return NULL;
	GArray *out = g_array_new(FALSE, FALSE, sizeof(counts));
	bool ok = true;
	const val *by_market = need(s, "messages_by_market", VAL_LIST, true);
	if (by_market && val_len(by_market) > 0) {
		for (guint i = 0; i < val_len(by_market); i++) {
			const val *it = need_item(by_market, i);
			ok = it && add_counts(out, m, need(it, "market", VAL_STRING, false), it) && ok;
		}
	} else {
		const val *market = need(pricing, "market", VAL_STRING, true);
		if (!market && pricing)
			diag(DIAG_ERROR, pricing->file, pricing->line, pricing->col,
			     "pricing.market is needed: it names the market of messages_by_category, as the rate card does");
		ok = market && add_counts(out, m, market, need(s, "messages_by_category", VAL_MAP, false));
	}
	if (!ok)
		g_array_free(out, TRUE), out = NULL;
	return out;
}

/* Meta's charge for a period's rates over a month's messages: tiers where
 * the period has them, less the free allowance; in the card's currency. */
static double
period_charge(const val *p, const double n[N_CAT], double numbers)
{
	const val *rates = val_get(p, "rates"), *tiers = val_get(p, "tiers"), *free = val_get(p, "free_per_month");
	double sum = 0;
	for (int c = 0; c < N_CAT; c++) {
		const val *f = val_get(free, cat_names[c]);
		double count = MAX(0, n[c] - (f && f->kind == VAL_NUMBER ? f->num * numbers : 0));
		const val *t = val_get(tiers, cat_names[c]);
		sum += t && t->kind == VAL_LIST ? cost_direct(t, count) : val_num(rates, cat_names[c]) * count;
	}
	return sum;
}

static void
note_used(GArray *used, const val *market, const val *period)
{
	for (guint i = 0; used && i < used->len; i++)
		if (g_array_index(used, priced_by, i).period == period)
			return;
	if (used)
		g_array_append_val(used, ((priced_by){ market, period }));
}

/* One market's month, each period for its share of the month's days, in
 * the card's currency.  The periods are noted in `used` (may be NULL). */
static double
market_charge(const model *m, const counts *c, double scale, int month, GArray *used)
{
	const val *periods = val_get(c->market, "periods");
	guint32 start = month_start(month), end = start + (guint32)fmt_days_in_month(month), covered = 0;
	double n[N_CAT], sum = 0;
	for (int k = 0; k < N_CAT; k++)
		n[k] = c->n[k] * scale;
	for (guint i = 0; i < val_len(periods); i++) {
		const val *p = val_index(periods, i);
		guint32 from = day_of(str_of(p, "from"));
		guint32 next = i + 1 < val_len(periods) ? day_of(str_of(val_index(periods, i + 1), "from")) : G_MAXUINT32;
		guint32 a = MAX(start, from), b = MIN(end, next);
		if (b <= a)
			continue;
		covered += b - a;
		sum += (double)(b - a) / (end - start) * period_charge(p, n, m->numbers);
		note_used(used, c->market, p);
	}
	if (covered < end - start && c->at) {
		g_autofree char *mn = fmt_month_name(month);
		g_autofree char *first = fmt_date_long(str_of(val_index(periods, 0), "from"));
		diag(DIAG_ERROR, c->at->file, c->at->line, c->at->col,
		     "no rates for %s in templates/rate-card.yaml in %s: its first period starts on %s",
		     str_of(c->market, "market"), mn, first);
	}
	return sum;
}

/* A month along the three routes, its messages times `scale`. */
static month_cost
price_month(const model *m, const GArray *cs, double scale, int month, GArray *used)
{
	month_cost mc = { 0 };
	for (guint i = 0; i < cs->len; i++) {
		const counts *c = &g_array_index(cs, counts, i);
		mc.meta += market_charge(m, c, scale, month, used);
		for (int k = 0; k < N_CAT; k++)
			mc.messages += c->n[k] * scale;
	}
	mc.meta *= m->card.fx;
	mc.provider = mc.meta * (1 + m->markup) + m->fee * mc.messages;
	mc.partner = mc.meta * (1 - m->discount);
	return mc;
}

/* Messages a month, this month's mix at this month's rates, where a route's
 * saving (a Solution Partner's, else a Tech Provider's) reaches the
 * overhead; -1 when not within BREAK_EVEN_LIMIT times this month's. */
static double
break_even_volume(const model *m, const GArray *cs, int month, bool partner)
{
	double lo = 0, hi = BREAK_EVEN_LIMIT;
	month_cost top = price_month(m, cs, hi, month, NULL);
	if (top.provider - (partner ? top.partner : top.meta) < m->overhead)
		return -1;
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;
		month_cost mc = price_month(m, cs, mid, month, NULL);
		*(mc.provider - (partner ? mc.partner : mc.meta) >= m->overhead ? &hi : &lo) = mid;
	}
	return hi * price_month(m, cs, 1, month, NULL).messages;
}

/* ---- what the documents show -------------------------------------------------- */

/* A rate of the card as shown: two decimals more than the currency's minor
 * units ("$0.0260"), more when it was written with more ("$0.00785"). */
static char *
card_price(const model *m, const val *r)
{
	double x = r && r->kind == VAL_NUMBER ? r->num : 0;
	double scale = pow(10, fmt_currency_digits(m->card.iso) + 2);
	return cost_quoted_price(&m->card, x, fabs(round(x * scale) - x * scale) > 1e-6 ? r : NULL);
}

/* A category's rate in a period as shown: "$0.0618" (converted like any
 * quoted price), "graduated: $0.0289 up to 100,000, then $0.0250", or
 * "not charged". */
static char *
rate_text(const model *m, const val *p, int c)
{
	const val *t = val_get(val_get(p, "tiers"), cat_names[c]);
	if (t && t->kind == VAL_LIST) {
		GString *s = g_string_new("graduated: ");
		for (guint i = 0; i < val_len(t); i++) {
			const val *ti = val_index(t, i), *r = val_get(ti, "rate"), *up = val_get(ti, "up_to");
			g_autofree char *rt = card_price(m, r);
			g_autofree char *n = up ? fmt_count(up->num) : NULL;
			g_string_append_printf(s, "%s%s%s%s", i ? ", " : "", up ? "" : "then ", rt, up ? " up to " : "");
			if (n)
				g_string_append(s, n);
		}
		return g_string_free(s, FALSE);
	}
	const val *r = val_get(val_get(p, "rates"), cat_names[c]);
	if (!r || r->kind != VAL_NUMBER || r->num == 0)
		return g_strdup("not charged");
	return card_price(m, r);
}

/* cost.rate_periods[]: every period that priced a month, oldest first:
 * .market .from .marketing .utility .authentication .service .free .source .read */
static void
rate_periods(val *c, const model *m)
{
	val *list = val_set_list(c, "rate_periods");
	for (guint i = 0; i < m->used->len; i++) {
		const priced_by *u = &g_array_index(m->used, priced_by, i);
		val *row = val_new_map();
		val_set_string(row, "market", str_of(u->market, "name") ? str_of(u->market, "name") : "");
		set_take(row, "from", fmt_date_long(str_of(u->period, "from")));
		for (int k = 0; k < N_CAT; k++)
			set_take(row, cat_names[k], rate_text(m, u->period, k));
		GString *free = g_string_new(NULL);
		const val *fr = val_get(u->period, "free_per_month");
		for (guint j = 0; j < val_len(fr); j++) {
			g_autofree char *n = fmt_count(val_index(fr, j)->num);
			g_string_append_printf(free, "%sthe first %s %s messages a month for each phone number are not charged",
					       free->len ? "; " : "", n, val_key(fr, j));
		}
		set_take(row, "free", g_string_free(free, FALSE));
		val_set_string(row, "source", str_of(u->period, "source") ? str_of(u->period, "source") : "");
		set_take(row, "read", fmt_date_long(str_of(u->period, "read")));
		val_list_add(list, row);
	}
}

/* "1 July 2025", "1 July 2025 and 1 October 2026": the starts of the
 * periods that priced one month. */
static char *
periods_text(const GArray *used)
{
	g_autoptr(GPtrArray) froms = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < used->len; i++) {
		char *f = fmt_date_long(str_of(g_array_index(used, priced_by, i).period, "from"));
		bool seen = false;
		for (guint j = 0; j < froms->len && !seen; j++)
			seen = !strcmp(froms->pdata[j], f);
		if (seen)
			g_free(f);
		else
			g_ptr_array_add(froms, f);
	}
	GString *s = g_string_new(NULL);
	for (guint j = 0; j < froms->len; j++)
		g_string_append_printf(s, "%s%s", j == 0 ? "" : j + 1 == froms->len ? " and " : ", ",
				       (char *)froms->pdata[j]);
	return g_string_free(s, FALSE);
}

static void
money_pair(val *row, const char *key, double amount)
{
	set_take(row, key, fmt_money(round(amount)));
}

static void
month_row(val *months, const val *snap, const month_cost *mc, const GArray *used)
{
	val *r = val_new_map();
	set_take(r, "month_name", fmt_month_name(need_month(snap, "month")));
	set_take(r, "messages", fmt_count(mc->messages));
	money_pair(r, "meta", mc->meta);
	money_pair(r, "provider", mc->provider);
	money_pair(r, "tech_provider_saves", mc->provider - mc->meta);
	money_pair(r, "partner", mc->partner);
	money_pair(r, "partner_saves", mc->provider - mc->partner);
	set_take(r, "rates", periods_text(used));
	val_list_add(months, r);
}

static char *
percent_of(double part, double whole)
{
	return whole > 0 ? fmt_percent(part / whole * 100, 1) : g_strdup(DASH);
}

/* A route this month: what it costs, what it saves against today's
 * provider, that less the overhead, and its break-even volume. */
static void
route(val *r, double today, double cost, const model *m, double volume, double be, double be_today)
{
	set_take(r, "volume", fmt_count(volume));
	money_pair(r, "bsp", today);
	money_pair(r, "direct", cost);
	money_pair(r, "cost", cost);
	money_pair(r, "savings", today - cost);
	set_take(r, "savings_percent", percent_of(today - cost, today));
	double net = round(today - cost) - m->overhead;
	money_pair(r, "net", net);
	val_set_bool(r, "pays", net >= 0);
	val *b = val_set_map(r, "break_even");
	val_set_bool(b, "reachable", be >= 0);
	if (be >= 0) {
		double rounded = ceil(be / 100 - 1e-6) * 100;
		set_take(b, "volume", fmt_count(rounded));
		money_pair(b, "bsp_cost", be_today);
		set_take(b, "percent_of_current", volume > 0 ? fmt_percent(rounded / volume * 100, 0) : g_strdup(DASH));
	} else {
		set_take(b, "volume", g_strdup_printf("never within %d times this month's volume", BREAK_EVEN_LIMIT));
		val_set_string(b, "bsp_cost", DASH);
		val_set_string(b, "percent_of_current", DASH);
	}
}

/* "12.0–14.5%", or "12.0%" when the ends agree. */
static char *
range_text(double lo, double hi)
{
	g_autofree char *l = fmt_number(lo, 1), *h = fmt_number(hi, 1);
	return strcmp(l, h) ? g_strdup_printf("%s" EN_DASH "%s%%", l, h) : g_strdup_printf("%s%%", l);
}

/* cost.savings: the ranges the months span, the only savings claim a
 * document may make. */
static void
savings_claim(val *c, const GArray *sp, const GArray *tp, const char *span)
{
	val *s = val_set_map(c, "savings");
	double slo = INFINITY, shi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
	for (guint i = 0; i < sp->len; i++) {
		double a = round(g_array_index(sp, double, i) * 10) / 10, b = round(g_array_index(tp, double, i) * 10) / 10;
		slo = MIN(slo, a), shi = MAX(shi, a), tlo = MIN(tlo, b), thi = MAX(thi, b);
	}
	val_set_bool(s, "any", sp->len > 0);
	if (!sp->len) {
		val_set_string(s, "text", "no month's messages to compare");
		return;
	}
	g_autofree char *sr = range_text(slo, shi), *tr = range_text(tlo, thi);
	set_take(s, "range", g_strdup(sr));
	set_take(s, "low", fmt_percent(slo, 1));
	set_take(s, "high", fmt_percent(shi, 1));
	if (!strcmp(sr, tr))
		set_take(s, "text", g_strdup_printf("%s lower message costs as a Tech Provider or a Solution Partner "
						    "(the current provider's fee and markup), %s", sr, span));
	else
		set_take(s, "text", g_strdup_printf("%s lower message costs as a Solution Partner, and %s as a Tech "
						    "Provider (the current provider's fee and markup), %s", sr, tr, span));
}

/* The guide's table at pricing.volumes, this month's mix at its rates. */
static void
volume_rows(val *c, val *values, const model *m, const val *pricing, const GArray *cs, int month, double messages)
{
	val *rows = val_set_list(c, "rows"), *rv = val_set_list(values, "rows");
	const val *volumes = need(pricing, "volumes", VAL_LIST, true);
	for (guint i = 0; i < val_len(volumes) && messages > 0; i++) {
		const val *v = val_index(volumes, i);
		if (v->kind != VAL_NUMBER)
			continue;
		month_cost mc = price_month(m, cs, v->num / messages, month, NULL);
		val *r = val_new_map();
		set_take(r, "volume", fmt_count(v->num));
		money_pair(r, "bsp", mc.provider);
		money_pair(r, "direct", mc.partner);
		money_pair(r, "savings", mc.provider - mc.partner);
		set_take(r, "savings_percent", percent_of(mc.provider - mc.partner, mc.provider));
		val_list_add(rows, r);
		val *x = val_new_map();
		val_set_number(x, "volume", v->num);
		val_set_number(x, "bsp", mc.provider);
		val_set_number(x, "direct", mc.partner);
		val_list_add(rv, x);
	}
}

/* Long: every month, then this month's routes, the rates shown and the
 * claim, each a few lines over the same month_cost figures. */
void
rates_model(val *root, const val *pricing, const val *metrics, const cost_quote *q)
{
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(priced_by));
	model m = { .used = used };
	const val *asked = val_get(latest, "messages_by_market") ? val_get(latest, "messages_by_market")
								   : val_get(latest, "messages_by_category");
	if (!check_card(&m, root, asked) || !check_pricing(&m, pricing, q))
		return;
	val *c = val_set_map(root, "cost");
	val_set_bool(c, "per_message", true);
	val_set_string(c, "provider", m.provider);
	set_take(c, "overhead", fmt_money(m.overhead));
	set_take(c, "discount", fmt_percent_short(m.discount * 100));
	val *values = val_set_map(c, "values");
	val_set_number(values, "overhead", m.overhead);
	set_take(values, "bsp_label", g_strdup_printf("Through %s", m.provider));
	val_set_string(values, "direct_label", "As a Solution Partner");
	val *months = val_set_list(c, "months"), *mv = val_set_list(values, "months");
	g_autoptr(GArray) sp = g_array_new(FALSE, FALSE, sizeof(double));
	g_autoptr(GArray) tp = g_array_new(FALSE, FALSE, sizeof(double));
	int first = -1, last = -1;
	for (guint i = 0; i < val_len(metrics); i++) {
		const val *snap = val_index(metrics, i);
		g_autoptr(GArray) cs = snapshot_counts(&m, pricing, snap);
		val *x = val_new_map();
		val_list_add(mv, x);
		if (!cs)
			continue;
		int month = need_month(snap, "month");
		g_autoptr(GArray) month_used = g_array_new(FALSE, FALSE, sizeof(priced_by));
		month_cost mc = price_month(&m, cs, 1, month, month_used);
		for (guint j = 0; j < month_used->len; j++)
			note_used(used, g_array_index(month_used, priced_by, j).market, g_array_index(month_used, priced_by, j).period);
		month_row(months, snap, &mc, month_used);
		val_set_number(x, "bsp", mc.provider);
		val_set_number(x, "direct", mc.partner);
		val_set_number(x, "meta", mc.meta);
		val_set_number(x, "messages", mc.messages);
		if (mc.provider > 0) {
			double a = (mc.provider - mc.partner) / mc.provider * 100, b = (mc.provider - mc.meta) / mc.provider * 100;
			g_array_append_val(sp, a);
			g_array_append_val(tp, b);
		}
		first = first < 0 ? month : first;
		last = month;
	}
	g_autoptr(GArray) cs = snapshot_counts(&m, pricing, latest);
	if (!cs)
		return;
	int month = need_month(latest, "month");
	month_cost now = price_month(&m, cs, 1, month, NULL);
	for (int partner = 1; partner >= 0; partner--) {
		double be = break_even_volume(&m, cs, month, partner);
		double at = be >= 0 && now.messages > 0 ? ceil(be / 100 - 1e-6) * 100 / now.messages : 0;
		route(val_set_map(c, partner ? "current" : "tech_provider"), now.provider, partner ? now.partner : now.meta,
		      &m, now.messages, be, price_month(&m, cs, at, month, NULL).provider);
	}
	val_map_set(c, "break_even", val_copy(val_path(c, "current.break_even")));
	set_take(c, "bsp_rate", now.messages > 0 ? fmt_rate(now.provider / now.messages) : g_strdup(DASH));
	val_set_number(values, "bsp_rate", now.messages > 0 ? now.provider / now.messages : 0);
	volume_rows(c, values, &m, pricing, cs, month, now.messages);
	rate_periods(c, &m);
	g_autofree char *a = fmt_month_name(first), *b = fmt_month_name(last);
	g_autofree char *span = first == last ? g_strdup_printf("in %s", b) : g_strdup_printf("from %s to %s", a, b);
	savings_claim(c, sp, tp, span);
}
