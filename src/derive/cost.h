/* cost.h - the cost analysis (derive stage): what the messages cost today
 * and as a partner of Meta, in the company's currency, and where the
 * savings pay for being one.
 *
 * Amounts of the content are in company.currency.  Per-message prices may
 * be quoted in another currency (pricing.quoted_in, Meta's rate card in
 * US dollars); they are converted with an exchange rate the content gives
 * (pricing.exchange_rates: from, rate, date, source), and every converted
 * price is written with the price as quoted and the exchange rate beside it.
 *
 * Adds to the tree (docs/data-model.md): cost.* (formatted figures, the
 * savings claim, and cost.values for the charts and the spreadsheet),
 * pricing.direct_tiers[].fmt.rate and pricing.overhead_items[].fmt.amount.
 */
#ifndef DOSSIER_COST_H
#define DOSSIER_COST_H

#include "base/value.h"

/* How per-message prices are quoted: pricing.yaml's (pricing.quoted_in)
 * or the rate card's (rate_card.currency). */
typedef struct {
	const char *iso;	/* their currency */
	double fx;		/* one unit of it in company.currency */
	const val *xr;		/* the exchange rate used; NULL for the company's own currency */
} cost_quote;

/* A price per message in company.currency and, when converted, the price
 * as quoted and the exchange rate beside it: "¥9.00 (USD 0.0600 at
 * ¥150.25 per USD; Bank of Japan, 30 November 2026)".  With `written`
 * (the value in the content) the quoted price keeps the decimals it was
 * written with, at least the currency's minor units ("$0.02875"); without,
 * two more than those ("$0.0600").  A new string. */
char *cost_quoted_price(const cost_quote *q, double amount, const val *written);

/* The build's currency from company.currency (fmt_currency_set).  False
 * after a located error (missing, or not a code ICU knows). */
bool cost_currency(const val *root);

/* Cost of `volume` messages at graduated tiers: a list of maps {up_to?:
 * count, rate: number}, ascending, each rate for the messages inside its
 * band; the last has no up_to.  In the tiers' currency. */
double cost_direct(const val *tiers, double volume);

/* Volume where (bsp_rate * v - cost_direct(tiers, v)) first reaches
 * `overhead` (all three in one currency); negative when it never does. */
double cost_break_even(const val *tiers, double bsp_rate, double overhead);

/* What one unit of currency `iso` is in company.currency: 1 for the same
 * currency, else the `rate` of the pricing.exchange_rates item from `iso`;
 * 0 when the content gives none.  *used (may be NULL) is that item, or
 * NULL.  Reports nothing. */
double cost_exchange(const val *root, const char *iso, const val **used);

/* "¥150.25 per USD; Bank of Japan, 30 November 2026": an exchange-rate
 * item as it is shown beside what it converted.  A new string. */
char *cost_exchange_text(const val *xr);

/* Adds cost.* for the latest snapshot and the history.  False after
 * reporting every problem through diag(). */
bool cost_derive(val *root, const val *metrics);

#endif
