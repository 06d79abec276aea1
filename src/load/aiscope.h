/* aiscope.h - the AI-provider rule, checked on the wording (load stage).
 *
 * The WhatsApp Business Solution Terms bar general-purpose AI assistants
 * from 15 January 2026; task-specific business assistants remain allowed.
 * templates/ai-policy.yaml holds the words: the terms that say the content
 * describes an AI assistant, the phrases that present it as general-purpose,
 * and the negations that make such a phrase harmless ("not a general-purpose
 * assistant").  This file reads the raw text of every content file (the
 * YAML files, the snapshots, the case studies) and of every template, so
 * that each finding is located at its file, line and column:
 *   - a general-purpose phrase is a warning where it stands;
 *   - an AI assistant described while company.yaml states no
 *     ai_assistant.scope (the business tasks it performs for each client)
 *     is a warning at its first mention.
 * The result goes to root.ai_policy (docs/data-model.md), which the Tech
 * Provider path of templates/programme.yaml reads.
 */
#ifndef DOSSIER_AISCOPE_H
#define DOSSIER_AISCOPE_H

#include <stdbool.h>

#include "base/value.h"

#define AISCOPE_FILE	"ai-policy.yaml"

/* Check the wording and set root.ai_policy.  Without an ai-policy.yaml in
 * the templates folders nothing is checked (ai_policy.ok is true).  Returns
 * false after a located error in ai-policy.yaml. */
bool aiscope_check(val *root, const char *content_dir, const char *templates_dir);

#endif
