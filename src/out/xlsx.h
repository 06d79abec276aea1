/* build_xlsx.h - business/client-metrics.xlsx (package stage, called by
 * `build`), written with libxlsxwriter.
 *
 * Sheets: "Monthly" (a row per snapshot, a native chart of messages),
 * "Clients" (the latest snapshot's per-client list, when present), "Cost
 * analysis" (rates as input cells; costs and savings as formulas over them),
 * "Trigger metrics" (current, target, met).  Numbers are stored as numbers.
 */
#ifndef DOSSIER_BUILD_XLSX_H
#define DOSSIER_BUILD_XLSX_H

#include <stdbool.h>

#include "base/value.h"

/* Write the workbook to `path` from the derived data tree.  Returns false
 * after reporting an error.  Byte-identical for the same data. */
bool build_xlsx(const val *root, const char *path);

#endif
