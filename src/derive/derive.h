/* derive.h - figures computed from the content (second stage: derive).
 *
 * Adds to the content tree every value docs/data-model.md lists under
 * "derived": latest, history, growth, projection, uptime, latency, cost,
 * triggers, readiness, company.founded_year/years_in_business, build dates,
 * case-study numbers.  Each figure has its human formatting next to it.
 * The arithmetic lives in the small pure functions below, unit-tested with
 * hand-computed expectations.
 */
#ifndef DOSSIER_DERIVE_H
#define DOSSIER_DERIVE_H

#include "base/value.h"

/* Default trigger thresholds: the seed's "Trigger Metrics" table. */
#define TRIGGER_CLIENTS		100
#define TRIGGER_MESSAGES	50000
#define TRIGGER_COST_USD	2000
#define TRIGGER_UPTIME		99.9
#define TRIGGER_WEBHOOK_MS	500

/* The threshold of a trigger metric: content's triggers.KEY, else the
 * seed's default above (monthly_cost's, USD 2,000, in company.currency at
 * its exchange rate from USD).  KEY is one of whatsapp_ai_clients,
 * monthly_messages, monthly_cost, uptime_percent, webhook_avg_ms. */
double derive_threshold(const val *root, const char *key);

/* Compound monthly growth rate from first to last over n_months - 1
 * steps; 0 when it cannot be computed (one month, or a start of 0). */
double derive_cmgr(double first, double last, int n_months);

/* Uptime of the snapshots [from, to) weighted by the days in each month. */
double derive_weighted_uptime(const val *metrics, guint from, guint to);

/* Months after the latest until value * (1 + rate)^k >= target: 0 when already
 * met, -1 when never (rate <= 0) or not within `horizon` months. */
int derive_months_to_target(double value, double rate, double target, int horizon);

/* Add every derived figure to `root` (the loaded content).  `attachments_dir`
 * is content/attachments; `package` the parsed templates/package.yaml (may
 * be NULL), for the attachment items of the readiness checklist.
 * templates/schema.yaml is the user's, so nothing read is trusted: a value
 * derive needs that is missing or of another kind is a located error.
 * Returns false after reporting every such error through diag(). */
bool derive_all(val *root, const val *package, const char *attachments_dir);

/* The final view of readiness (`--final`): every generated stand-in for a
 * supplied document becomes unmet, and the verdict says "(final)".  Call
 * after derive_all().  readiness.final_ready is set either way. */
void derive_readiness_final(val *root);

#endif
