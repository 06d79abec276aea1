/* out/zip.c - OUT/<package>.zip, the package zipped for upload (package
 * stage; see zip.h and out.h).
 * minizip does the zip format and deflate; this file only decides what goes
 * in, in which order, how (stored or deflated), with which fixed metadata,
 * and whether the previous build's zip can be kept as it is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <zip.h>

#include "out/zip.h"
#include "base/diag.h"
#include "base/fileop.h"
#include "base/stamp.h"
#include "out/out.h"

static zip_fileinfo
fixed_info(const char *date)
{
	zip_fileinfo zi = { .tmz_date = { .tm_mday = 1, .tm_mon = 0, .tm_year = 1980 } };
	unsigned y, m, d;
	if (date && sscanf(date, "%4u-%2u-%2u", &y, &m, &d) == 3 && y >= 1980 && y < 2108 &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31)
		zi.tmz_date = (tm_zip){ .tm_hour = 12, .tm_mday = d, .tm_mon = m - 1, .tm_year = y };
	zi.external_fa = (0100644u << 16);	/* a regular file, rw-r--r-- (Unix "made by") */
	return zi;
}

/* Formats that are compressed already: deflating them again costs most of
 * the zip's time and gains a few percent (PDF streams are Flate-encoded,
 * an xlsx is a zip).  They are stored. */
static bool
compressed_already(const char *name)
{
	static const char *const ext[] = { ".pdf", ".xlsx", ".docx", ".png", ".jpg", ".jpeg",
					   ".gif", ".webp", ".zip", ".gz", NULL };
	g_autofree char *lower = g_ascii_strdown(name, -1);
	for (const char *const *e = ext; *e; e++)
		if (g_str_has_suffix(lower, *e))
			return true;
	return false;
}

/* Store or deflate one file into the open zip. */
static bool
add_file(zipFile zf, const char *file, const char *name, const zip_fileinfo *zi)
{
	g_autofree char *data = NULL;
	gsize len;
	g_autoptr(GError) err = NULL;
	if (!g_file_get_contents(file, &data, &len, &err)) {
		diag(DIAG_ERROR, file, 0, 0, "cannot read: %s", diag_io_reason(err));
		return false;
	}
	int zip64 = len >= 0xffffffffu;
	bool store = compressed_already(name);
	bool ok = zipOpenNewFileInZip4_64(zf, name, zi, NULL, 0, NULL, 0, NULL,
					  store ? 0 : Z_DEFLATED, store ? 0 : 9, 0,
					  -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, NULL, 0,
					  (3 << 8) | 20, 0, zip64) == ZIP_OK;
	for (gsize off = 0; ok && off < len;) {
		unsigned n = (unsigned)MIN(len - off, (gsize)1 << 30);
		ok = zipWriteInFileInZip(zf, data + off, n) == ZIP_OK;
		off += n;
	}
	if (!(zipCloseFileInZip(zf) == ZIP_OK && ok)) {
		diag(DIAG_ERROR, file, 0, 0, "cannot add to the zip: %s", g_strerror(errno));
		return false;
	}
	return true;
}

bool
bundle_write(const char *pkg_dir, const char *prefix, const char *date, const char *zip_path)
{
	g_autoptr(GPtrArray) paths = fileop_files(pkg_dir);
	if (!paths)
		return false;

	g_autofree char *tmp = g_strdup_printf("%s.tmp-XXXXXX", zip_path);
	int fd = fileop_ok() ? g_mkstemp(tmp) : -1;
	if (fd < 0) {
		diag(DIAG_ERROR, zip_path, 0, 0, "cannot create a temporary file: %s", g_strerror(errno));
		return false;
	}
	close(fd);
	zipFile zf = zipOpen64(tmp, APPEND_STATUS_CREATE);
	if (!zf) {
		diag(DIAG_ERROR, tmp, 0, 0, "cannot open for writing: %s", g_strerror(errno));
		g_unlink(tmp);
		return false;
	}
	bool ok = true;
	zip_fileinfo zi = fixed_info(date);
	for (guint i = 0; ok && i < paths->len; i++) {
		g_autofree char *file = g_build_filename(pkg_dir, paths->pdata[i], NULL);
		g_autofree char *name = g_strconcat(prefix, "/", paths->pdata[i], NULL);
		ok = add_file(zf, file, name, &zi);
	}
	if (zipClose(zf, NULL) != ZIP_OK && ok) {
		diag(DIAG_ERROR, tmp, 0, 0, "cannot finish the zip: %s", g_strerror(errno));
		ok = false;
	}
	if (ok && (!fileop_ok() || g_chmod(tmp, 0644) != 0 || g_rename(tmp, zip_path) != 0)) {
		diag(DIAG_ERROR, zip_path, 0, 0, "cannot move the zip into place: %s", g_strerror(errno));
		ok = false;
	}
	if (!ok)
		g_unlink(tmp);
	return ok;
}

/* What decides the zip's bytes: this file's rules, the prefix, the date,
 * and the name and bytes of every file of the package. */
static char *
zip_key(const char *pkg_dir, const char *prefix, const char *date)
{
	g_autoptr(GPtrArray) paths = fileop_files(pkg_dir);
	if (!paths)
		return NULL;
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	stamp_add_str(c, "dossier-zip 2");	/* 2: compressed formats stored */
	stamp_add_str(c, prefix);
	stamp_add_str(c, date);
	for (guint i = 0; i < paths->len; i++) {
		g_autofree char *file = g_build_filename(pkg_dir, paths->pdata[i], NULL);
		stamp_add_file_bytes(c, paths->pdata[i], file);
	}
	char *k = g_strdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return k;
}

/* The stamp of the zip at `zip` made from `key`: the key and the zip's
 * identity, so a zip touched since is not trusted.  NULL without a zip. */
static char *
zip_stamp(const char *key, const char *zip)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	stamp_add_str(c, key);
	bool there = stamp_add_file(c, "zip", zip);
	char *s = there ? g_strdup(g_checksum_get_string(c)) : NULL;
	g_checksum_free(c);
	return s;
}

/* The zip is written again only when the package's files (or the zip
 * itself) changed since the previous build; otherwise the previous zip is
 * linked into the new OUT, keeping its inode and mtime.  The stamp is
 * OUT/.dossier-cache/stamps/zip. */
bool
out_zip_write(const OutCtx *ctx)
{
	g_autofree char *name = g_strconcat(ctx->pkg_name, ".zip", NULL);
	g_autofree char *zip = g_build_filename(ctx->stage, name, NULL);
	g_autofree char *old_zip = g_build_filename(ctx->old_out, name, NULL);
	g_autofree char *stamp = g_build_filename(ctx->stage, OUT_CACHE_DIR, "stamps", "zip", NULL);
	g_autofree char *old_stamp = g_build_filename(ctx->old_out, OUT_CACHE_DIR, "stamps", "zip", NULL);
	const val *date = val_path(ctx->pl->root, "build.date");
	const char *day = date ? date->str : NULL;
	g_autofree char *key = zip_key(ctx->pkg, ctx->pkg_name, day);
	if (!key)
		return false;
	g_autofree char *was = stamp_read(old_stamp);
	g_autofree char *now = zip_stamp(key, old_zip);
	bool same = was && now && !strcmp(was, now) && fileop_link(old_zip, zip);
	if (!same && !bundle_write(ctx->pkg, ctx->pkg_name, day, zip))
		return false;
	if (ctx->opts->verbose)
		fprintf(stderr, "dossier: %s %s\n", same ? "unchanged" : "written  ", name);
	g_autofree char *mine = zip_stamp(key, zip);
	return mine && stamp_write(stamp, mine);
}
