/* build_charts.h - every chart of the package, from the data tree to
 * STAGE/charts/NAME.svg (typeset stage; runs before the PDFs, which draw
 * the SVGs as vector graphics).
 *
 * The charts: messages (with the projection), clients, mrr, uptime,
 * latency, cost (monthly, via the BSP against direct) and savings (by
 * volume, from the cost analysis).  The Markdown templates link them as
 * ../charts/NAME.svg.
 */
#ifndef DOSSIER_BUILD_CHARTS_H
#define DOSSIER_BUILD_CHARTS_H

#include <stdbool.h>

#include "pipeline/pipeline.h"

#define BUILD_CHARTS_DIR "charts"
#define BUILD_CHARTS_WIDTH 480.0	/* points */
#define BUILD_CHARTS_HEIGHT 260.0

/* Write every chart into STAGE/charts/.  Returns false after a located
 * diag() error (a file that cannot be written). */
bool build_charts(const char *stage, pipeline *pl);

#endif
