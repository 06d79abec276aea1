/* statements.h - the forms in which documents state content facts (derive
 * stage): a legal name in running text, a date written out, the privacy
 * practices as one sentence's parts, the availability commitment, the
 * audits in a few words.  Each comes from one fact, so that two documents
 * that state it say the same thing.
 */
#ifndef DOSSIER_DERIVE_STATEMENTS_H
#define DOSSIER_DERIVE_STATEMENTS_H

#include "base/value.h"

/* "2026-10-31" -> "31 October 2026"; NULL when `date` is no valid date. */
char *statements_date_long(const char *date);

/* Add every statement form to `root` (docs/data-model.md, "The tree
 * templates see"). */
void derive_statements(val *root);

#endif
