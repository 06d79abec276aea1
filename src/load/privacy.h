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

/* Scan and anonymize one case study (front matter + `body`, as content.c
 * builds it).  Replaces aliased names in place.  Returns false after
 * reporting every finding through diag(). */
bool privacy_scan_case_study(val *cs);

/* The first phone number or e-mail address in `text` (for tests and the
 * scanner): its byte offset and length through the out-parameters, and its
 * kind ("phone number", "e-mail address"); NULL when there is none. */
const char *privacy_find(const char *text, gsize *offset, gsize *len);

#endif
