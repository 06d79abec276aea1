/* wording.h - counts and joined names, so that sentences fit any number (derive stage).
 *
 * Templates cannot count: "Current BSPs:" over a single BSP, or a list of
 * audits when there is none, read wrong.  For each list in wording_lists
 * (wording.c) that the content has, its parent map gets, beside KEY:
 *   KEY_count    the number of items (0 when an optional list is absent);
 *   KEY_one      true when there is exactly one;
 *   KEY_several  true when there are two or more;
 *   KEY_any      true when there is at least one (a count of 0 is still a
 *                value, so sections test this, not KEY_count);
 *   KEY_text     the items (strings) or their `name`s (else `title`s) as prose:
 *                "A", "A and B", "A, B and C".
 * and each item that is a map gets `list_sep`: ", " between items, " and "
 * before the last, "" after it, to join items written with their details:
 *   {{#integrations.current_bsps}}{{name}} (since {{since}}){{list_sep}}{{/...}}
 */
#ifndef DOSSIER_WORDING_H
#define DOSSIER_WORDING_H

#include "base/value.h"

void derive_wording(val *root);

/* "A", "A and B", "A, B and C" from NULL-terminated `items`; caller frees. */
char *wording_join(const char *const *items);

#endif
