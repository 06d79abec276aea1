/* write/write.h - the one interface every output of a build implements (package
 * stage).
 *
 * An output is one file in src/write/ with one function
 *
 *     bool NAME_write(const WriteCtx *ctx);
 *
 * that writes its files into the staging folder ctx->stage (laid out as
 * OUT: the package folder is ctx->pkg inside it) and nowhere else, reading
 * the previous build from ctx->old_out when it needs to.  It returns false
 * after reporting a located diag() error.  The build (pipeline/build.c)
 * walks write_table[] in order, then puts what the staging folder holds in
 * place in OUT, all or nothing (pipeline/commit.h), so no output ever
 * writes OUT itself.  A new output is its file plus one row of
 * write_table[] (write.c).
 *
 * Files are written through base/fileop.h (or after fileop_ok() when a
 * library writes them), so the fault-injection test covers them.
 */
#ifndef DOSSIER_WRITE_H
#define DOSSIER_WRITE_H

#include <stdbool.h>

#include "base/record.h"
#include "render/package.h"
#include "typeset/typeset.h"

#define WRITE_CACHE_DIR	".dossier-cache"	/* OUT/.dossier-cache/: what the last build left */
#define WRITE_APP_REVIEW_DIR	"app-review"		/* OUT/app-review/: the App Review kit */
#define WRITE_OBLIGATIONS_FILE	"obligations.ics"	/* OUT/obligations.ics */

/* The band across every page of a draft (PDFs and web pages). */
#define WRITE_DRAFT_MARK	"Draft \xE2\x80\x94 not for submission"

/* What the user asked for (set by the command). */
typedef struct {
	bool force;		/* typeset every PDF again, trust no cache */
	bool verbose;		/* a line per PDF: typeset or unchanged */
	bool progress;		/* a live "typesetting N/M" line on stderr */
	bool keep;		/* more builds follow in this process (--watch):
				 * keep what they can reuse (pdf.h) */
	bool final;		/* build --final: text no installed font can
				 * draw is an error, not a warning */
} write_opts;

/* What the outputs report back (filled in as they run). */
typedef struct {
	int pages;		/* pages in all PDFs */
	int typeset;		/* PDFs typeset this time */
	int reused;		/* PDFs kept from the previous build */
} write_stats;

typedef struct WriteCtx {
	package_rendered *pl;		/* the rendered package and its data tree (borrowed) */
	const char *stage;	/* the products being built, laid out as OUT: write here */
	const char *pkg;	/* STAGE/<package name>: the package folder */
	const char *pkg_name;	/* "bsp-application" */
	const char *old_out;	/* OUT as the previous build left it: read only */
	const char *old_pkg;	/* OUT/<package name>, or NULL when there is none
				 * or it is not a real folder (a link is never read) */
	const write_opts *opts;
	write_stats *stats;
	typeset_pictures *pictures; /* what the outputs drew themselves and wrote as
				 * image files (charts, diagrams), for the PDFs to
				 * draw in their place (typeset/typeset.h) */
	record *record;		/* what the build used: an output adds what it
				 * read outside OUT (base/record.h) */
	const char *program;	/* the digest of the program (write/program.h), the
				 * value "program" of every output's record */
} WriteCtx;

typedef bool (*write_fn)(const WriteCtx *ctx);

typedef struct {
	const char *name;	/* for messages and docs/hacking.md */
	write_fn write;
} write_kind;

/* Every output, in the order the build runs them (out.c).  Terminated by a
 * row with name NULL. */
extern const write_kind write_table[];

/* The outputs (each in its own write/NAME.c). */
bool markdown_write(const WriteCtx *ctx);	/* the documents' Markdown, supplied files */
bool xlsx_write(const WriteCtx *ctx);		/* the spreadsheet package.yaml names */
bool charts_write(const WriteCtx *ctx);	/* charts/NAME.svg */
bool diagrams_write(const WriteCtx *ctx);	/* charts/message-flow.svg, routes.svg */
bool pdf_write(const WriteCtx *ctx);		/* every PDF and dossier.pdf, the typeset cache */
bool html_write(const WriteCtx *ctx);		/* OUT/site/: a web page per document */
bool public_write(const WriteCtx *ctx);	/* OUT/site/public/: the public pages, security.txt */
bool manifest_write(const WriteCtx *ctx);	/* manifest.xml and SHA256SUMS */
bool zip_write(const WriteCtx *ctx);		/* OUT/<package>.zip */
bool readiness_write(const WriteCtx *ctx);	/* OUT/readiness.md */
bool appreview_write(const WriteCtx *ctx);	/* OUT/app-review/ */
bool obligations_write(const WriteCtx *ctx);	/* OUT/obligations.ics */
bool changes_write(const WriteCtx *ctx);	/* OUT/CHANGES.md and the build state */

/* Paths a build writes in the package folder itself, besides the
 * documents: package.yaml may not name any of them (render/package.c). */
extern const char *const write_reserved_paths[];

#endif
