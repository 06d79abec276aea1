/* programme.h - Meta's partner paths evaluated against the content (derive stage).
 *
 * Runs after derive_all(), on the checked programme file
 * (load/programme.h), and adds to the tree:
 *   - latest.daily: the latest month's daily figures, from its daily export
 *     (metrics/YYYY-MM.daily.csv or a `daily:` list) sorted by date, or,
 *     without one, estimated from the monthly total (every day the month's
 *     messages divided by its days, each row `estimated: true`);
 *     latest.daily_estimated says which;
 *   - programme.paths: every path with its verdict, each gate's verdict,
 *     the values and targets it compared (derive/expr.h), its documents,
 *     next steps, permissions and sources; programme.default;
 *   - programme.permissions: what App Review asks per permission, for the
 *     paths that ask for it;
 *   - programme.obligations: every dated obligation, sorted by date, with
 *     how far it is from the end of the latest snapshot's month; a date
 *     within `warn_days` after it (or, for a date the content gives, any
 *     date before it) is a located warning.
 */
#ifndef DOSSIER_DERIVE_PROGRAMME_H
#define DOSSIER_DERIVE_PROGRAMME_H

#include <stdbool.h>

#include "base/value.h"

/* Returns false after located errors (a condition that does not parse or
 * compares a number with a string, daily figures outside their month). */
bool derive_programme(val *root, const val *programme);

/* The path of id `id` in root's programme.paths (borrowed), or NULL. */
const val *programme_path(const val *root, const char *id);

#endif
