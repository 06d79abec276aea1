/* privacy.h - no customer's personal data reaches a document (load stage).
 *
 * Case studies are written about real customers.  Before anything is
 * rendered, each one is scanned for phone numbers (local and
 * international formats), e-mail addresses and the real names its front
 * matter declares under `private:`, and those names in every other text
 * of the content too.  A declared name with an `alias:` is replaced by the
 * alias everywhere; without one, any occurrence is an error at its line
 * and column.
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

/* The shape of one case study's `private:` and `allowed:` (a list of
 * {name, alias}, a list of strings).  Returns false after a located error. */
bool privacy_check_case_study(const val *cs);

/* Scan and anonymize the whole content tree `root` (as content.c builds it,
 * each case study checked by privacy_check_case_study()):
 * - in each case study (front matter + `body`): phone numbers (any common
 *   separator, in any script's digits; wa.me, WhatsApp and tel: links),
 *   e-mail addresses (with domains in any script; also "name at domain dot
 *   com"), national IDs of `rules` (may be NULL);
 * - everywhere (every file of content/, every case study): the names any
 *   case study declares under `private:`, matched in the text as written
 *   and as rendered, without regard to case, accents, width, line breaks
 *   or emphasis between words; as words in scripts written with spaces,
 *   with attached prefixes and suffixes (`rules`) in Hebrew, Arabic and
 *   Korean, anywhere in a word in scripts written without spaces (Han,
 *   Kana, Thai...).  A name with an alias is replaced by it, in place; the
 *   case study's own alias first, elsewhere the first alias given;
 * - images in YAML values: only relative paths inside the package.
 * A string listed under a case study's `allowed:` is no finding there.
 * Returns false after reporting every finding through diag(), each
 * naming the kind of data; then nothing is replaced. */
bool privacy_scan_content(val *root, const privacy_rules *rules);

/* privacy_scan_content() for one case study alone, with its own names
 * (and its privacy_check_case_study()). */
bool privacy_scan_case_study(val *cs, const privacy_rules *rules);

/* The first phone number or e-mail address in `text`, as written or as
 * Markdown renders it (for tests and the fuzzer): its byte offset and
 * length in text through the out-parameters, and its kind ("phone
 * number", "e-mail address"); NULL when there is none. */
const char *privacy_find(const char *text, gsize *offset, gsize *len);

/* Does an image URL take the image from outside the package: an absolute
 * path, a '..' part, a file:// (or any other local) URL?  http(s) does not. */
bool privacy_image_outside(const char *url);

#endif
