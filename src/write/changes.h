/* changes.h - what a build changed (package stage).
 *
 * Every build records its state - the SHA-256 of every package file and the
 * value of every figure worth watching (the latest snapshot's figures, the
 * trigger metrics, growth, readiness) - in OUT/.dossier-cache/state, and
 * compares it with the state the previous build left there to write
 * OUT/CHANGES.md: documents added, changed, removed, and the old → new value
 * of each figure that moved.  The state file carries its own SHA-256, so a
 * truncated, edited or foreign file is detected, reported as a warning and
 * ignored, never trusted.
 *
 * Ownership: a changes_state owns its strings; changes_state_free() frees it.
 */
#ifndef DOSSIER_CHANGES_H
#define DOSSIER_CHANGES_H

#include <stdbool.h>

#include "write/manifest.h"
#include "base/value.h"

#define CHANGES_STATE_FILE	"state"

typedef struct changes_state changes_state;

/* The state of a build: files from its manifest, figures from the tree
 * (borrowed; copied). */
changes_state *changes_state_new(const val *root, const manifest *m);
void changes_state_free(changes_state *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(changes_state, changes_state_free)

/* Read a state file.  NULL when there is none (silently: a first build) or
 * when it is corrupt or not dossier's (after a diag warning). */
changes_state *changes_state_load(const char *file);

/* Write the state atomically (creating the folder).  False after a diag. */
bool changes_state_save(const changes_state *s, const char *file);

/* CHANGES.md comparing `old` (NULL: no previous build) with `cur`.
 * Same states, same bytes.  The caller frees the result. */
char *changes_report(const changes_state *old, const changes_state *cur);

/* "+15.5%" for 84 → 97; percentage points ("+0.03 pp") when `points`;
 * "" when the change cannot be computed (from 0).  Caller frees. */
char *changes_delta(double from, double to, bool points);

#endif
