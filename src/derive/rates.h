/* rates.h - the per-message cost model (derive stage): each month's
 * messages by Meta's pricing category and market, priced at the rate card
 * in force in that month (templates/rate-card.yaml, root.rate_card), along
 * the three routes an applicant compares:
 *   - today, through the current provider: Meta's rates plus its markup
 *     and its fee per message (pricing.provider);
 *   - as a Tech Provider: the clients pay Meta's rates to Meta directly,
 *     and the applicant saves the provider's fee and markup;
 *   - as a Solution Partner: Meta's rates less any negotiated discount
 *     (pricing.partner_discount_percent), resold on its credit line.
 * Used instead of the source guide's flat model (derive/cost.c) when the
 * latest snapshot gives messages_by_category or messages_by_market.
 *
 * A rate period applies from its `from` day to the next period's; a month
 * a change falls in is priced at each period's rates for its share of the
 * month's days.  Volume tiers are graduated over the month's messages of a
 * category in a market; a free allowance (free_per_month) is per phone
 * number (pricing.phone_numbers).
 */
#ifndef DOSSIER_RATES_H
#define DOSSIER_RATES_H

#include "derive/cost.h"

/* Does snapshot `s` give its messages by category (or by market)? */
bool rates_given(const val *s);

/* cost.* of the per-message model (docs/data-model.md): the months,
 * this month, both routes' break-even, the rate periods shown, the savings
 * claim and cost.values.  `q` is how pricing.yaml quotes the provider's
 * fee.  Every problem, in the content or the rate card, is a located error. */
void rates_model(val *root, const val *pricing, const val *metrics, const cost_quote *q);

#endif
