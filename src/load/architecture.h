/* architecture.h - architecture.yaml's component ids checked and resolved (load stage).
 *
 * architecture.yaml declares components (each with an id), the message flow
 * as steps between component ids, and the current and direct routes as lists
 * of ids.  After the schema has checked types, this checks that ids are
 * well-formed and unique and that every step and route names a declared
 * component, and adds for templates:
 *   - components[i].where: "provider, region" (either may be absent; no key
 *     when both are);
 *   - message_flow[i].from_name / to_name: the components' names;
 *   - routes.current_text / direct_text: the names joined with " → ".
 * The ids themselves stay as written (the diagrams use them).
 */
#ifndef DOSSIER_ARCHITECTURE_H
#define DOSSIER_ARCHITECTURE_H

#include "base/value.h"

/* Check and resolve root's `architecture` map (absent: nothing to do).
 * Reports every problem through diag(); returns false if there was any. */
bool architecture_resolve(val *root);

#endif
