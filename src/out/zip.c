/* out/zip.c - OUT/<package>.zip, the package zipped for upload (package
 * stage; see zip.h and out.h).
 * minizip does the zip format and deflate; this file only decides what goes
 * in, in which order, and with which fixed metadata.
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

/* Deflate one file into the open zip. */
static bool
add_file(zipFile zf, const char *file, const char *name, const zip_fileinfo *zi)
{
	g_autofree char *data = NULL;
	gsize len;
	g_autoptr(GError) err = NULL;
	if (!g_file_get_contents(file, &data, &len, &err)) {
		diag(DIAG_ERROR, file, 0, 0, "cannot read: %s", err->message);
		return false;
	}
	int zip64 = len >= 0xffffffffu;
	bool ok = zipOpenNewFileInZip4_64(zf, name, zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 9, 0,
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

bool
out_zip_write(const OutCtx *ctx)
{
	g_autofree char *name = g_strconcat(ctx->pkg_name, ".zip", NULL);
	g_autofree char *zip = g_build_filename(ctx->stage, name, NULL);
	const val *date = val_path(ctx->pl->root, "build.date");
	return bundle_write(ctx->pkg, ctx->pkg_name, date ? date->str : NULL, zip);
}
