/* derive/cost.c - the cost analysis (derive stage; see cost.h).
 *
 * The source guide's flat model: every message through the current BSP at
 * one rate (pricing.bsp_per_message), against graduated direct rates
 * (pricing.direct_tiers), and the fixed monthly overhead of being a BSP
 * (pricing.bsp_overhead_monthly): the table at pricing.volumes, this
 * month's figures, the break-even volume, and the savings range the other
 * documents may claim, computed from the same rows.
 *
 * Prices are kept as quoted until the last step: a row's costs are the
 * quoted prices times one factor (cost_exchange), so the table reads the
 * same whether the rates came in the company's currency or another.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fmt.h"
#include "derive/cost.h"
#include "derive/need.h"
#include "derive/rates.h"

#define DASH	"\xE2\x80\x94"	/* — */
#define EN_DASH	"\xE2\x80\x93"	/* – */

static void
set_take(val *map, const char *key, char *text)
{
	val_map_set(map, key, val_new_string_take(text));
}

/* ---- currency --------------------------------------------------------- */

bool
cost_currency(const val *root)
{
	const val *c = need(need_map(root, "company"), "currency", VAL_STRING, false);
	if (!c)
		return false;
	if (!fmt_currency_set(c->str)) {
		diag(DIAG_ERROR, c->file, c->line, c->col,
		     "company.currency must be an ISO 4217 currency code such as USD, EUR, JPY or KWD, got \"%s\"",
		     c->str);
		return false;
	}
	return true;
}

double
cost_exchange(const val *root, const char *iso, const val **used)
{
	if (used)
		*used = NULL;
	const val *own = val_path(root, "company.currency");
	if (!iso || (own && own->kind == VAL_STRING && !strcmp(own->str, iso)))
		return 1;
	const val *list = val_path(root, "pricing.exchange_rates");
	for (guint i = 0; list && list->kind == VAL_LIST && i < val_len(list); i++) {
		const val *xr = val_index(list, i), *from = val_get(xr, "from"), *rate = val_get(xr, "rate");
		if (from && from->kind == VAL_STRING && !strcmp(from->str, iso) &&
		    rate && rate->kind == VAL_NUMBER && isfinite(rate->num) && rate->num > 0) {
			if (used)
				*used = xr;
			return rate->num;
		}
	}
	return 0;
}

/* The fewest decimals (at most 6) that show the number exactly, as a
 * number in the content reads ("0.040" and "0.04" both: 2; "150.25": 2). */
static int
written_decimals(const val *v)
{
	if (!v || v->kind != VAL_NUMBER || !isfinite(v->num))
		return 0;
	for (int d = 0; d < 6; d++) {
		double scale = pow(10, d);
		if (fabs(round(v->num * scale) / scale - v->num) < 1e-12 * MAX(1, fabs(v->num)))
			return d;
	}
	return 6;
}

char *
cost_exchange_text(const val *xr)
{
	const val *rate = val_get(xr, "rate"), *from = val_get(xr, "from");
	const val *date = val_get(xr, "date"), *source = val_get(xr, "source");
	g_autofree char *r = fmt_money_exact(fmt_currency(), rate ? rate->num : 0, written_decimals(rate));
	g_autofree char *d = fmt_date_long(date && date->kind == VAL_STRING ? date->str : "");
	return g_strdup_printf("%s per %s; %s, %s", r, from && from->kind == VAL_STRING ? from->str : "?",
			       source && source->kind == VAL_STRING ? source->str : "?", d);
}

/* A price quoted per message, in company.currency, and when converted the
 * price as quoted and the exchange rate beside it:
 * "¥9.00 (USD 0.0600 at ¥150.25 per USD; Bank of Japan, 30 November 2026)".
 * With `written` (the value in the content) the quoted price keeps the
 * decimals it was written with, at least the currency's minor units
 * ("$0.02875"); without, it has two more than those ("$0.0600"). */
char *
cost_quoted_price(const cost_quote *q, double amount, const val *written)
{
	int decimals = written ? MAX(written_decimals(written), fmt_currency_digits(q->iso))
			       : fmt_currency_digits(q->iso) + 2;
	if (!q->xr)
		return fmt_money_exact(q->iso, amount, decimals);
	g_autofree char *own = fmt_rate(amount * q->fx);
	g_autofree char *as_quoted = fmt_money_exact(q->iso, amount, decimals), *xr = cost_exchange_text(q->xr);
	return g_strdup_printf("%s (%s at %s)", own, as_quoted, xr);
}

/* Every exchange rate checked (a positive rate, no currency twice, none
 * from the company's own), then the quote of pricing.yaml's prices.  False
 * after a located error. */
static bool
quote_of(const val *root, const val *pricing, cost_quote *q)
{
	bool ok = true;
	const char *own = fmt_currency();
	const val *list = need(pricing, "exchange_rates", VAL_LIST, true);
	for (guint i = 0; i < val_len(list); i++) {
		const val *xr = need_item(list, i);
		const val *from = need(xr, "from", VAL_STRING, false), *rate = need(xr, "rate", VAL_NUMBER, false);
		need_str(xr, "date");
		need_str(xr, "source");
		if (rate && !(isfinite(rate->num) && rate->num > 0)) {
			diag(DIAG_ERROR, rate->file, rate->line, rate->col,
			     "an exchange rate must be a number above 0: how much one %s is in %s",
			     from ? from->str : "unit", own);
			ok = false;
		}
		if (from && !strcmp(from->str, own)) {
			diag(DIAG_ERROR, from->file, from->line, from->col,
			     "an exchange rate from %s, the company's own currency (company.currency), converts nothing: remove it",
			     own);
			ok = false;
		}
		for (guint j = 0; from && j < i; j++) {
			const val *before = val_get(val_index(list, j), "from");
			if (before && before->kind == VAL_STRING && !strcmp(before->str, from->str)) {
				diag(DIAG_ERROR, from->file, from->line, from->col,
				     "a second exchange rate from %s (the first is at line %d): keep one", from->str,
				     before->line);
				ok = false;
			}
		}
	}
	const val *quoted = need(pricing, "quoted_in", VAL_STRING, true);
	q->iso = quoted ? quoted->str : own;
	q->fx = cost_exchange(root, q->iso, &q->xr);
	if (q->fx <= 0 && ok) {	/* (a bad rate was said above) */
		const val *at = quoted ? quoted : pricing;
		diag(DIAG_ERROR, at->file, at->line, at->col,
		     "the prices are quoted in %s and company.currency is %s: add an exchange rate from %s "
		     "under pricing.exchange_rates (from, rate, date, source)", q->iso, own, q->iso);
		ok = false;
	}
	if (q->fx <= 0)
		q->fx = 1;
	return ok;
}

/* ---- arithmetic -------------------------------------------------------- */

double
cost_direct(const val *tiers, double volume)
{
	double cost = 0, lo = 0;
	for (guint i = 0; i < val_len(tiers) && volume > lo; i++) {
		const val *t = need_item(tiers, i);
		const val *up = need(t, "up_to", VAL_NUMBER, true);
		double hi = up ? up->num : INFINITY;
		double rate = need_num(t, "rate");
		cost += (MIN(volume, hi) - lo) * rate;
		lo = hi;
	}
	return cost;
}

double
cost_break_even(const val *tiers, double bsp_rate, double overhead)
{
	double lo = 0, saved = 0;
	if (overhead <= 0)
		return 0;
	for (guint i = 0; i < val_len(tiers); i++) {
		const val *t = need_item(tiers, i);
		const val *up = need(t, "up_to", VAL_NUMBER, true);
		double hi = up ? up->num : INFINITY;
		double margin = bsp_rate - need_num(t, "rate");	/* saved per message */
		if (margin > 0) {
			double reach = saved + margin * (hi - lo);
			if (reach >= overhead)
				return lo + (overhead - saved) / margin;
			saved = reach;
		}
		lo = hi;
	}
	return -1;
}

/* ---- the flat model ------------------------------------------------------ */

typedef struct {
	cost_quote q;
	const val *tiers;	/* pricing.direct_tiers, as quoted */
	double bsp_quoted;	/* pricing.bsp_per_message, as quoted */
	double bsp_rate;	/* the same in company.currency */
	double overhead;	/* pricing.bsp_overhead_monthly, company.currency */
} flat;

/* Both routes' costs of `volume` messages, in company.currency. */
static void
flat_costs(const flat *f, double volume, double *bsp, double *direct)
{
	*bsp = volume * f->bsp_rate;
	*direct = f->q.fx * cost_direct(f->tiers, volume);
}

/* One row of the table: volume, bsp, direct, savings, savings_percent. */
static void
cost_row(val *row, const flat *f, double volume, val *values)
{
	double bsp, direct;
	flat_costs(f, volume, &bsp, &direct);
	set_take(row, "volume", fmt_count(volume));
	set_take(row, "bsp", fmt_money(round(bsp)));
	set_take(row, "direct", fmt_money(round(direct)));
	set_take(row, "savings", fmt_money(round(bsp - direct)));
	set_take(row, "savings_percent", bsp > 0 ? fmt_percent((bsp - direct) / bsp * 100, 1) : g_strdup(DASH));
	if (values) {
		val *v = val_new_map();
		val_set_number(v, "volume", volume);
		val_set_number(v, "bsp", bsp);
		val_set_number(v, "direct", direct);
		val_list_add(values, v);
	}
}

/* pricing.direct_tiers[].fmt.rate and pricing.overhead_items[].fmt.amount:
 * what the tables beside the cost analysis show. */
static void
format_pricing(const val *pricing, const cost_quote *q)
{
	const val *tiers = need(pricing, "direct_tiers", VAL_LIST, true);
	for (guint i = 0; i < val_len(tiers); i++) {
		val *t = (val *)need_item(tiers, i);
		if (t)
			set_take(val_set_map(t, "fmt"), "rate", cost_quoted_price(q, need_num(t, "rate"), val_get(t, "rate")));
	}
	const val *items = need_list(pricing, "overhead_items");
	for (guint i = 0; i < val_len(items); i++) {
		val *it = (val *)need_item(items, i);
		if (it)
			set_take(val_set_map(it, "fmt"), "amount", fmt_money(need_num(it, "amount")));
	}
}

static void
break_even(val *c, const flat *f, double volume)
{
	val *be = val_set_map(c, "break_even");
	double v = cost_break_even(f->tiers, f->bsp_quoted, f->overhead / f->q.fx);
	val_set_bool(be, "reachable", v >= 0);
	if (v >= 0) {
		double rounded = ceil(v / 100 - 1e-6) * 100;	/* a volume people can quote */
		set_take(be, "volume", fmt_count(rounded));
		set_take(be, "bsp_cost", fmt_money(round(rounded * f->bsp_rate)));
		set_take(be, "percent_of_current", volume > 0 ? fmt_percent(rounded / volume * 100, 0) : g_strdup(DASH));
	} else {
		val_set_string(be, "volume", "never (direct rates do not save enough to cover the overhead)");
		val_set_string(be, "bsp_cost", DASH);
		val_set_string(be, "percent_of_current", DASH);
	}
}

/* cost.savings: the range of the table's savings, as every document that
 * sums them up must state it (growth-plan's "what BSP status brings").
 * .text "19.0–24.8% lower per-message costs at 10,000 to 500,000 messages a
 * month"; .range "19.0–24.8%"; .low, .high; .any (a row to compute from). */
static void
savings_claim(val *c, const val *values)
{
	val *s = val_set_map(c, "savings");
	double lo = INFINITY, hi = -INFINITY, vlo = INFINITY, vhi = -INFINITY;
	for (guint i = 0; i < val_len(values); i++) {
		const val *r = val_index(values, i);
		double bsp = val_num(r, "bsp"), direct = val_num(r, "direct"), volume = val_num(r, "volume");
		if (bsp <= 0)
			continue;
		/* Rounded as the table shows it, so the claim and the table agree to the digit. */
		double p = round((bsp - direct) / bsp * 1000) / 10;
		lo = MIN(lo, p), hi = MAX(hi, p), vlo = MIN(vlo, volume), vhi = MAX(vhi, volume);
	}
	val_set_bool(s, "any", isfinite(lo));
	if (!isfinite(lo)) {
		val_set_string(s, "text", "no per-message cost to compare");
		return;
	}
	g_autofree char *l = fmt_number(fabs(lo), 1), *h = fmt_number(fabs(hi), 1);
	g_autofree char *vl = fmt_count(vlo), *vh = fmt_count(vhi);
	g_autofree char *at = vlo == vhi ? g_strdup_printf("at %s messages a month", vl)
					 : g_strdup_printf("at %s to %s messages a month", vl, vh);
	set_take(s, "low", fmt_percent(lo, 1));
	set_take(s, "high", fmt_percent(hi, 1));
	if (lo == hi)
		set_take(s, "range", fmt_percent(fabs(lo), 1));
	else if (lo >= 0 || hi <= 0)
		set_take(s, "range", g_strdup_printf("%s" EN_DASH "%s%%", lo >= 0 ? l : h, lo >= 0 ? h : l));
	else
		set_take(s, "range", g_strdup_printf("%s%% higher to %s%% lower", l, h));
	const char *range = val_get(s, "range")->str;
	if (lo >= 0 && hi > 0)
		set_take(s, "text", g_strdup_printf("%s lower per-message costs %s", range, at));
	else if (hi <= 0)
		set_take(s, "text", g_strdup_printf("no lower per-message costs: direct access costs %s more %s",
						    range, at));
	else
		set_take(s, "text", g_strdup_printf("per-message costs from %s %s", range, at));
}

/* Long: the guide's table, this month, the break-even, the chart values
 * and the savings claim, in the order the growth plan reads them. */
/* The flat model's keys, optional in the schema since the per-message
 * model needs none of them; false after a located error for each missing. */
static bool
flat_keys(const val *pricing)
{
	static const char *const keys[] = { "bsp_per_message", "direct_tiers", "volumes" };
	bool ok = true;
	for (size_t i = 0; pricing && i < G_N_ELEMENTS(keys); i++) {
		const val *v = val_get(pricing, keys[i]);
		if (v && v->kind != VAL_NULL)
			continue;
		const val *at = v ? v : pricing;
		diag(DIAG_ERROR, at->file, at->line, at->col,
		     "pricing.%s is needed: the latest snapshot gives no messages_by_category, so the cost analysis "
		     "is the guide's flat model (or give the month's messages by category, priced at templates/rate-card.yaml)",
		     keys[i]);
		ok = false;
	}
	return ok;
}

static void
flat_model(val *root, const val *pricing, const val *metrics, const cost_quote *q)
{
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	flat f = { .q = *q, .tiers = need_list(pricing, "direct_tiers") };
	f.bsp_quoted = need_num(pricing, "bsp_per_message");
	f.bsp_rate = f.bsp_quoted * q->fx;
	f.overhead = need_num(pricing, "bsp_overhead_monthly");

	val *c = val_set_map(root, "cost");
	val_set_bool(c, "flat", true);
	set_take(c, "bsp_rate", cost_quoted_price(q, f.bsp_quoted, NULL));
	set_take(c, "overhead", fmt_money(f.overhead));
	val_set_bool(c, "converted", q->xr != NULL);
	if (q->xr)
		set_take(c, "exchange", cost_exchange_text(q->xr));
	val *values = val_set_map(c, "values");
	val_set_number(values, "fx", q->fx);
	val_set_number(values, "bsp_rate", f.bsp_rate);
	val_set_number(values, "overhead", f.overhead);
	val_set_string(values, "bsp_label", "Via the current BSP");
	val_set_string(values, "direct_label", "Direct");

	val *rows = val_set_list(c, "rows");
	val *row_values = val_set_list(values, "rows");
	const val *volumes = need_list(pricing, "volumes");
	for (guint i = 0; i < val_len(volumes); i++) {
		const val *v = val_index(volumes, i);
		if (v->kind != VAL_NUMBER || !isfinite(v->num)) {
			diag(DIAG_ERROR, v->file, v->line, v->col, "each volume must be a number, got a %s: %s",
			     val_kind_name(v->kind), need_hint);
			continue;
		}
		val *row = val_new_map();
		cost_row(row, &f, v->num, row_values);
		val_list_add(rows, row);
	}
	val *cur = val_set_map(c, "current");
	double volume = need_num(latest, "messages");
	cost_row(cur, &f, volume, NULL);
	double bsp, direct;
	flat_costs(&f, volume, &bsp, &direct);
	double net = round(bsp - direct) - f.overhead;
	set_take(cur, "net", fmt_money(round(net)));
	val_set_bool(cur, "pays", net >= 0);
	break_even(c, &f, volume);

	val *months = val_set_list(values, "months");
	for (guint i = 0; i < val_len(metrics); i++) {
		val *m = val_new_map();
		flat_costs(&f, need_num(val_index(metrics, i), "messages"), &bsp, &direct);
		val_set_number(m, "bsp", bsp);
		val_set_number(m, "direct", direct);
		val_list_add(months, m);
	}
	savings_claim(c, row_values);
}

bool
cost_derive(val *root, const val *metrics)
{
	unsigned errors = diag_errors();
	const val *pricing = need_map(root, "pricing");
	cost_quote q;
	if (!quote_of(root, pricing, &q))
		return false;
	const val *latest = val_index(metrics, val_len(metrics) - 1);
	if (rates_given(latest))
		rates_model(root, pricing, metrics, &q);
	else if (flat_keys(pricing))
		flat_model(root, pricing, metrics, &q);
	format_pricing(pricing, &q);
	return diag_errors() == errors;
}
