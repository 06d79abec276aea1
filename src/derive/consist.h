/* consist.h - consistency checks across the snapshots and the other content
 * (derive stage, run on the loaded content before any figure is computed).
 *
 * The schema checks each value on its own; these checks compare values that
 * must agree, and catch the traps of a monthly update: a list copied from
 * last month, a figure not updated, a typo of one digit.  Each finding is one
 * located warning (an error under --strict).  The thresholds are stated here
 * and in README.md.
 */
#ifndef DOSSIER_CONSIST_H
#define DOSSIER_CONSIST_H

#include "base/value.h"

/* Reported uptime may differ from the uptime the incident minutes imply by
 * this many percentage points (uptime is given with two decimals). */
#define CONSIST_UPTIME_TOLERANCE	0.01
/* message_cost may differ from messages × the rate by this fraction. */
#define CONSIST_COST_TOLERANCE		0.05
/* A figure that grew more than this factor, or fell below its inverse,
 * from one month to the next is likely a typo ... */
#define CONSIST_JUMP_FACTOR		3.0
/* ... unless last month's value was below this (small numbers jump). */
#define CONSIST_JUMP_FLOOR		10
/* Free text naming one of this many months before the latest snapshot is
 * likely a sentence that was true last month. */
#define CONSIST_STALE_MONTHS		2

/* Run every check on `content` (as content_load returns it).  Findings are
 * reported through diag() as warnings, or as errors when `strict`.
 * Returns the number of findings. */
unsigned consist_check(const val *content, bool strict);

#endif
