/* write/write.c - the table of outputs the build walks (see write.h).
 *
 * Order matters where one output reads another's files: the charts and
 * diagrams come before the PDFs that draw them and the web pages that
 * show them; the manifest after every file of the
 * package; the zip after the manifest; CHANGES.md after the manifest, whose
 * checksums it compares.
 */
#include "write/write.h"

const write_kind write_table[] = {
	{ "markdown",  markdown_write },
	{ "xlsx",      xlsx_write },
	{ "charts",    charts_write },
	{ "diagrams",  diagrams_write },
	{ "pdf",       pdf_write },
	{ "html",      html_write },
	{ "public",    public_write },
	{ "manifest",  manifest_write },
	{ "zip",       zip_write },
	{ "readiness", readiness_write },
	{ "app-review", appreview_write },
	{ "obligations", obligations_write },
	{ "changes",   changes_write },
	{ NULL, NULL },
};

const char *const write_reserved_paths[] = {
	"dossier.pdf", "manifest.xml", "SHA256SUMS", "charts/", NULL,
};
