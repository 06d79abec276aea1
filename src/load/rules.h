/* rules.h - the data files under templates/ that decide wording and
 * readiness beside the content (load stage): the privacy-law vocabulary the
 * content chooses (templates/privacy-laws/NAME.yaml) and the list of
 * commitment facts (templates/commitments.yaml).
 *
 * Both are data, not code: a project changes them in its own templates/.
 */
#ifndef DOSSIER_LOAD_RULES_H
#define DOSSIER_LOAD_RULES_H

#include "base/value.h"

/* Folder of the vocabularies, inside the templates folder. */
#define RULES_LAWS_DIR	"privacy-laws"
/* The vocabulary of a company that names no framework. */
#define RULES_LAW_NONE	"none"

/* Add `privacy_law` to `root` (the loaded content): the vocabulary named
 * by compliance.privacy.framework (none.yaml without one), checked, with
 * `id` set to its name.  An unknown name is an error at the value, with
 * "did you mean" and the names there are.  Returns false after a located
 * error. */
bool rules_load_privacy_law(val *root, const char *templates_dir);

/* Add `commitments.facts` to `root`: the entries of templates/commitments.yaml
 * (fact, what, documents), checked.  Returns false after a located error. */
bool rules_load_commitments(val *root, const char *templates_dir);

#endif
