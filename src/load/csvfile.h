/* csvfile.h - a CSV export as a list of maps (load stage).
 *
 * Clients and incidents of a month usually come from an export (a BSP
 * console, a database, a spreadsheet): metrics/2026-11.clients.csv beside
 * metrics/2026-11.yaml.  libcsv parses (quoted fields, embedded commas and
 * newlines, CRLF); this file adds what a content file needs: a UTF-8 BOM is
 * skipped, the first row is the header, columns are matched by name in any
 * order (case and surrounding spaces ignored), columns the schema does not
 * declare are ignored, and every cell carries FILE:LINE:COL so that a bad
 * one is reported at its spot, naming its column.
 */
#ifndef DOSSIER_CSVFILE_H
#define DOSSIER_CSVFILE_H

#include "base/value.h"

/* Read `path` into a list of maps, one per data row, each holding the
 * columns that `item_schema` (the schema map of one list item, e.g. the
 * `clients?:` item of metrics/ *.yaml) declares, checked against it.  A cell
 * that reads as a number becomes a number (keeping its text), anything
 * else a string; an empty cell of an optional column is left out.
 * Returns NULL after located errors (reported through diag()); otherwise
 * the caller owns the list. */
val *csvfile_load(const char *path, const val *item_schema);

/* The same for `len` bytes of CSV text named `path` in messages. */
val *csvfile_load_string(const char *path, const char *text, size_t len, const val *item_schema);

#endif
