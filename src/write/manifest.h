/* manifest.h - the package's inventory: manifest.xml and SHA256SUMS
 * (package stage, the last step before the swap; read back by `verify`).
 *
 * A manifest lists every file of the package folder with its path, media
 * type, size, SHA-256 and origin.  It is built by scanning a folder, so it
 * covers whatever earlier steps wrote there (Markdown, PDFs, charts, a
 * spreadsheet).  manifest.xml and SHA256SUMS never list themselves.  Paths
 * are relative, '/'-separated and sorted bytewise, so the same package gives
 * the same bytes.
 *
 * Ownership: a manifest owns its strings and entries; manifest_free() frees
 * everything.  Functions that can fail on bad input or I/O report a located
 * diag() error and return false (or NULL); out of memory aborts.
 */
#ifndef DOSSIER_MANIFEST_H
#define DOSSIER_MANIFEST_H

#include <glib.h>
#include <stdbool.h>

#define MANIFEST_XML	"manifest.xml"
#define MANIFEST_SUMS	"SHA256SUMS"
#define MANIFEST_NS	"urn:dossier:manifest:1"

typedef enum {
	MANIFEST_TEMPLATE,	/* a rendered Markdown document or its PDF */
	MANIFEST_ATTACHMENT,	/* a supplied file, copied byte for byte */
	MANIFEST_GENERATED,	/* anything else: dossier.pdf, charts, spreadsheet */
} manifest_origin;

typedef struct {
	char *path;		/* "company/company-overview.pdf" */
	char *media_type;	/* "application/pdf" */
	guint64 size;		/* bytes */
	char sha256[65];	/* lowercase hex */
	manifest_origin origin;
} manifest_entry;

typedef struct {
	char *package;		/* "bsp-application" */
	char *company;		/* company.name */
	char *date;		/* build.date, "2026-10-31" (never the wall clock) */
	bool draft;		/* status="draft": built while not final-ready */
	GPtrArray *files;	/* manifest_entry*, sorted by path */
} manifest;

/* An empty manifest; the strings are copied (NULL becomes ""). */
manifest *manifest_new(const char *package, const char *company, const char *date);
void manifest_free(manifest *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(manifest, manifest_free)

/* Add every regular file under `dir` (except manifest.xml and SHA256SUMS at
 * its top) with size and SHA-256, origin MANIFEST_GENERATED, then sort. */
bool manifest_scan(manifest *m, const char *dir);

/* Set the origin of the file at `path` (no-op when it is not listed). */
void manifest_set_origin(manifest *m, const char *path, manifest_origin origin);

/* Write dir/manifest.xml and dir/SHA256SUMS (each atomically). */
bool manifest_save(const manifest *m, const char *dir);

/* The SHA256SUMS text (`sha256sum -c` format) for m; the caller frees it. */
char *manifest_sums_text(const manifest *m);

/* Read a manifest.xml.  NULL (after a diag) when the file is unreadable,
 * not XML, or not a dossier manifest (wrong root, a <file> without a safe
 * relative path, a size or a 64-digit SHA-256). */
manifest *manifest_read(const char *file);

/* Differences between what the manifest promises (`want`) and what a scan
 * found (`have`), one line each in path order: "missing: PATH",
 * "modified: PATH", "extra: PATH".  Returns a new array of strings (free
 * function set); empty when everything matches. */
GPtrArray *manifest_compare(const manifest *want, const manifest *have);

/* The media type of a file name by its extension; never NULL
 * ("application/octet-stream" when unknown). */
const char *manifest_media_type(const char *path);

/* "template", "attachment", "generated". */
const char *manifest_origin_name(manifest_origin origin);

#endif
