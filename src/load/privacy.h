/* privacy.h - no customer's personal data reaches a document (load stage).
 *
 * Case studies are written about real customers.  Before anything is
 * rendered, each one is scanned for phone numbers (local and
 * international formats), e-mail addresses and the real names its front
 * matter declares under `private:`.  A declared name with an `alias:` is
 * replaced by the alias everywhere in the case study; without one, any
 * occurrence is an error at its line and column.
 */
#ifndef DOSSIER_PRIVACY_H
#define DOSSIER_PRIVACY_H

#include "base/value.h"

/* National ID numbers in the formats of one country: the patterns of
 * templates/privacy.yaml whose entry names `country` (the content's
 * company.address.country, compared without case or accents).  `doc` is
 * the parsed file (NULL or empty: no rules).  NULL after a located error. */
typedef struct privacy_rules privacy_rules;
privacy_rules *privacy_rules_new(const val *doc, const char *country);
void privacy_rules_free(privacy_rules *r);

/* Scan and anonymize one case study (front matter + `body`, as content.c
 * builds it): phone numbers (any common separator; wa.me, WhatsApp and tel:
 * links), e-mail addresses (also "name at domain dot com"), national IDs
 * of `rules` (may be NULL), and the names declared under `private:`,
 * matched without regard to case, accents, line breaks or emphasis
 * between words.  A string listed under `allowed:` is no finding.
 * Replaces aliased names in place.  Returns false after reporting every
 * finding through diag(), each naming the kind of data. */
bool privacy_scan_case_study(val *cs, const privacy_rules *rules);

/* The first phone number or e-mail address in `text` (for tests and the
 * fuzzer): its byte offset and length through the out-parameters, and its
 * kind ("phone number", "e-mail address"); NULL when there is none. */
const char *privacy_find(const char *text, gsize *offset, gsize *len);

#endif
