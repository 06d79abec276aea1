/* programme.h - templates/programme.yaml: Meta's partner paths as data (load stage).
 *
 * The file (see its own comments) holds the paths an applicant can take,
 * each with its gates (conditions, derive/expr.h), documents, next steps
 * and the permissions it asks for; what App Review asks per permission;
 * the rules of business verification; the dates that recur; and the
 * source of every rule.  A project's templates/programme.yaml replaces the
 * installed one (base/searchpath.h).
 *
 * This file reads it and checks its shape against a schema of its own (in
 * the notation of templates/schema.yaml), then what the schema cannot say:
 * ids unique and in the form [a-z0-9-]+, every `source:` naming a source,
 * every permission a path asks for described, `default:` naming a path,
 * each obligation dated one way only.  The conditions themselves are
 * parsed by derive (derive/programme.h).
 */
#ifndef DOSSIER_LOAD_PROGRAMME_H
#define DOSSIER_LOAD_PROGRAMME_H

#include "base/value.h"

#define PROGRAMME_FILE	"programme.yaml"

/* The checked programme file of `templates_dir` (a list of folders), or,
 * when no folder has one, a map with no paths.  NULL after located errors.
 * The caller owns the result. */
val *programme_load(const char *templates_dir);

#endif
