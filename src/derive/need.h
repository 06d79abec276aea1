/* need.h - checked reads of the content tree (derive stage).
 *
 * templates/schema.yaml is the user's: a key derive reads may have been
 * made optional, or given another type, there.  So every read of content in
 * derive goes through these.  A value that is missing or of the wrong kind is
 * a located error (at the map that lacks it, or at the value), and a harmless
 * stand-in -- 0, "", NULL, which val_len() and val_get() accept -- lets
 * derive go on and report the rest; derive_all() then returns false.  A map
 * that is itself NULL was reported where it was looked up.
 */
#ifndef DOSSIER_NEED_H
#define DOSSIER_NEED_H

#include "base/value.h"

/* Said after every such error: why the key matters whatever the schema says. */
extern const char need_hint[];

/* map[key] of `kind`; NULL when missing (an error unless `optional`) or of
 * another kind (an error). */
const val *need(const val *map, const char *key, val_kind kind, bool optional);
double need_num(const val *map, const char *key);	/* finite; 0 when missing */
const char *need_str(const val *map, const char *key);	/* "" when missing */
const val *need_list(const val *map, const char *key);	/* NULL (empty) when missing */
const val *need_map(const val *map, const char *key);
/* A month "YYYY-MM" as fmt_month_index() counts them; a month of year 1
 * when missing or malformed (after the error). */
int need_month(const val *map, const char *key);
/* The i-th item of a list, which must be a map; NULL after an error. */
const val *need_item(const val *list, guint i);

#endif
