/* schema.h - checks content against templates/schema.yaml (load stage).
 *
 * The schema is itself YAML, in the notation of docs/data-model.md: scalar
 * types as strings ("count", "percent", "date", "enum SAS|SA", "string?"),
 * nested mappings for maps (a key ending in '?' is optional), and a one-item
 * list for lists.  Checking reports every problem as one located line:
 * unknown keys (with "did you mean"), missing required keys, wrong types.
 */
#ifndef DOSSIER_SCHEMA_H
#define DOSSIER_SCHEMA_H

#include "base/value.h"

/* Longest value of a `string` and of a `text`, in characters (docs/limits.md). */
#define SCHEMA_MAX_STRING	1000
#define SCHEMA_MAX_TEXT		20000
/* Largest number of any numeric type: past it doubles stop being exact. */
#define SCHEMA_MAX_NUMBER	1e15

/* Check `v` against `schema`; `what` names the value in messages (may be "").
 * Plain numbers given where a string is declared are turned into their source
 * text in place (a postal code written as 5000 is the string "5000").
 * Returns true when `v` conforms; otherwise reports through diag(). */
bool schema_check(val *v, const val *schema, const char *what);

/* Check the schema file itself; returns false after a located error. */
bool schema_validate_schema(const val *schema);

#endif
