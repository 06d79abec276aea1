/* commitments.h - which commitment facts the content gives (derive stage).
 *
 * templates/commitments.yaml (loaded into root.commitments.facts) lists the
 * facts a document states a promise from; the chosen privacy law
 * (root.privacy_law.requires) adds the facts it requires published.  Each
 * one the content leaves out becomes an item of root.commitments.missing
 * with the place in the content where it belongs, and an unmet readiness
 * item, so `check` lists it and `build --final` refuses.
 */
#ifndef DOSSIER_DERIVE_COMMITMENTS_H
#define DOSSIER_DERIVE_COMMITMENTS_H

#include "base/value.h"

/* Set root.commitments.missing[] (fact, what, documents, file, line, col,
 * where "FILE:LINE:COL"), .missing_count, .missing_any, .given_count. */
void derive_commitments(val *root);

/* One unmet readiness item per missing commitment, added to `items`. */
void derive_commitment_items(val *items, const val *root);

#endif
