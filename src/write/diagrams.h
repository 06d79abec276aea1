/* write/diagrams.h - the architecture diagrams of the package, from the data
 * tree to PKG/charts/NAME.svg (an output of write.h: diagrams_write runs
 * before the PDFs, which draw the SVGs as vectors with their words in the
 * text layer).
 *
 * From `architecture` (content/architecture.yaml, shape in
 * docs/data-model.md): message-flow.svg, the ordered steps of
 * architecture.message_flow between the components, and routes.svg, the
 * current route to Meta (through a BSP) beside the direct one.  The
 * Markdown templates link them as ../charts/NAME.svg.  Laid out by
 * Graphviz (chart/diagram.c), written by chart/diagram_svg.c in the
 * theme's heading font and colours.
 */
#ifndef DOSSIER_WRITE_DIAGRAMS_H
#define DOSSIER_WRITE_DIAGRAMS_H

#include <stdbool.h>

#include "chart/diagram.h"
#include "base/value.h"

#define DIAGRAMS_DIR "charts"

/* The two diagrams of `architecture` (the subtree), each NULL when the
 * content declares nothing for it.  Returns false after a located diag()
 * error (a step or route naming an unknown component).  The caller frees
 * both with diagram_free(). */
bool diagrams_from_tree(const val *architecture, diagram **flow, diagram **routes);

#endif
