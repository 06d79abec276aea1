/* out/out.c - the table of outputs the build walks (see out.h).
 *
 * Order matters where one output reads another's files: the charts and
 * diagrams come before the PDFs that draw them; the manifest after every file of the
 * package; the zip after the manifest; CHANGES.md after the manifest, whose
 * checksums it compares.
 */
#include "out/out.h"

const out_kind out_table[] = {
	{ "markdown",  out_markdown_write },
	{ "xlsx",      out_xlsx_write },
	{ "charts",    out_charts_write },
	{ "diagrams",  out_diagrams_write },
	{ "pdf",       out_pdf_write },
	{ "manifest",  out_manifest_write },
	{ "zip",       out_zip_write },
	{ "readiness", out_readiness_write },
	{ "changes",   out_changes_write },
	{ NULL, NULL },
};

const char *const out_reserved_paths[] = {
	"dossier.pdf", "manifest.xml", "SHA256SUMS", "charts/", NULL,
};
