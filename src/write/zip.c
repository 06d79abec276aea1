/* write/zip.c - OUT/<package>.zip, the package zipped for upload (package
 * stage; see zip.h and write.h).
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
#include <unzip.h>
#include <zip.h>

#include "write/zip.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/fileop.h"
#include "base/stamp.h"
#include "write/write.h"

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

#define DEFLATE_LEVEL 9

/* The previous zip, open, with where each of its entries is: minizip's
 * unzLocateFile() walks the central directory from its start, a read per
 * entry, for every name asked for (2 ms of a 43-file package's zip). */
typedef struct {
	unzFile uf;
	GHashTable *at;		/* entry name -> unz64_file_pos* */
} prev_zip;

static void
prev_zip_open(prev_zip *o, const char *path)
{
	o->uf = path ? unzOpen64(path) : NULL;
	o->at = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char name[4096];
	for (int r = o->uf ? unzGoToFirstFile(o->uf) : UNZ_END_OF_LIST_OF_FILE; r == UNZ_OK;
	     r = unzGoToNextFile(o->uf)) {
		unz64_file_pos pos;
		if (unzGetCurrentFileInfo64(o->uf, NULL, name, sizeof name, NULL, 0, NULL, 0) == UNZ_OK &&
		    unzGetFilePos64(o->uf, &pos) == UNZ_OK)
			g_hash_table_insert(o->at, g_strdup(name), g_memdup2(&pos, sizeof pos));
	}
}

static void
prev_zip_close(prev_zip *o)
{
	if (o->uf)
		unzClose(o->uf);
	g_hash_table_destroy(o->at);
}

/* Make `name` the current entry of the previous zip; false when it has
 * none of that name (or there is none). */
static bool
prev_zip_locate(const prev_zip *o, const char *name)
{
	unz64_file_pos *pos = o && o->uf ? g_hash_table_lookup(o->at, name) : NULL;
	return pos && unzGoToFilePos64(o->uf, pos) == UNZ_OK;
}

/* The deflated bytes of `name` in the previous zip, when that entry holds
 * exactly `data`: deflate gives the same bytes for the same input and
 * settings, so they are copied instead of deflating the file again (most
 * of a zip's time when one document changed).  Checked by inflating the
 * old entry and comparing, never by its CRC alone.  NULL otherwise. */
static GBytes *
old_deflated(const prev_zip *prev, const char *name, const char *data, gsize len, uLong *crc,
	     uLong *internal_fa)
{
	unz_file_info64 fi;
	unzFile old = prev ? prev->uf : NULL;
	if (!prev_zip_locate(prev, name) ||
	    unzGetCurrentFileInfo64(old, &fi, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
	    fi.compression_method != Z_DEFLATED || fi.uncompressed_size != len ||
	    fi.compressed_size > G_MAXINT ||
	    fi.crc != crc32(0, (const Bytef *)data, (uInt)len))
		return NULL;
	/* What it inflates to. */
	g_autofree char *plain = g_malloc(len + 1);
	int got = -1;
	if (unzOpenCurrentFile(old) == UNZ_OK) {
		got = unzReadCurrentFile(old, plain, (unsigned)len + 1);
		if (unzCloseCurrentFile(old) != UNZ_OK)
			got = -1;
	}
	if (got < 0 || (gsize)got != len || memcmp(plain, data, len) != 0)
		return NULL;
	/* Its deflated bytes. */
	int method = 0, level = 0;
	gsize n = (gsize)fi.compressed_size;
	char *raw = g_malloc(n + 1);
	got = -1;
	if (unzOpenCurrentFile2(old, &method, &level, 1) == UNZ_OK) {
		got = unzReadCurrentFile(old, raw, (unsigned)n + 1);
		if (unzCloseCurrentFile(old) != UNZ_OK)
			got = -1;
	}
	if (got < 0 || (gsize)got != n || method != Z_DEFLATED) {
		g_free(raw);
		return NULL;
	}
	*crc = fi.crc;
	*internal_fa = fi.internal_fa;	/* deflate's "text" guess, of these bytes */
	return g_bytes_new_take(raw, n);
}

/* Store or deflate one file into the open zip; `old`: the previous zip,
 * whose deflated entries may be copied (NULL: none). */
static bool
add_file(zipFile zf, const char *file, const char *name, const zip_fileinfo *zi,
	 const prev_zip *old)
{
	g_autofree char *data = NULL, *why = NULL;
	gsize len;
	if (!file_read(file, FILE_MAX_ATTACHMENT, &data, &len, &why)) {
		diag(DIAG_ERROR, file, 0, 0, "%s", why);
		return false;
	}
	int zip64 = len >= 0xffffffffu;
	bool store = compressed_already(name);
	uLong crc = 0;
	zip_fileinfo info = *zi;
	g_autoptr(GBytes) raw = store || len >= G_MAXUINT ? NULL :
		old_deflated(old, name, data, len, &crc, &info.internal_fa);
	bool ok = zipOpenNewFileInZip4_64(zf, name, &info, NULL, 0, NULL, 0, NULL,
					  store ? 0 : Z_DEFLATED, store ? 0 : DEFLATE_LEVEL,
					  raw != NULL, -MAX_WBITS, DEF_MEM_LEVEL,
					  Z_DEFAULT_STRATEGY, NULL, 0, (3 << 8) | 20, 0,
					  zip64) == ZIP_OK;
	if (raw) {
		gsize n;
		const char *p = g_bytes_get_data(raw, &n);
		ok = ok && zipWriteInFileInZip(zf, p, (unsigned)n) == ZIP_OK;
		if (!(zipCloseFileInZipRaw64(zf, len, crc) == ZIP_OK && ok)) {
			diag(DIAG_ERROR, file, 0, 0, "cannot add to the zip: %s", g_strerror(errno));
			return false;
		}
		return true;
	}
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
zip_bundle(const char *pkg_dir, const char *prefix, const char *date, const char *zip_path)
{
	return zip_bundle_from(pkg_dir, prefix, date, zip_path, NULL);
}

bool
zip_bundle_from(const char *pkg_dir, const char *prefix, const char *date, const char *zip_path,
		  const char *old_zip)
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
	prev_zip old;
	prev_zip_open(&old, old_zip);
	for (guint i = 0; ok && i < paths->len; i++) {
		g_autofree char *file = g_build_filename(pkg_dir, paths->pdata[i], NULL);
		g_autofree char *name = g_strconcat(prefix, "/", paths->pdata[i], NULL);
		ok = add_file(zf, file, name, &zi, &old);
	}
	prev_zip_close(&old);
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

/* What decides the zip's bytes: the program that writes it
 * (write/program.h), the prefix, the date, and the name and bytes of every
 * file of the package. */
static char *
zip_key(const char *program, const char *pkg_dir, const char *prefix, const char *date)
{
	g_autoptr(GPtrArray) paths = fileop_files(pkg_dir);
	if (!paths)
		return NULL;
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	stamp_add_str(c, program);
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
 * linked into the new OUT, keeping its inode and mtime.  Written again, it
 * takes the deflated entries of files that did not change from the
 * previous zip (zip_bundle_from).  The stamp is
 * OUT/.dossier-cache/stamps/zip: the digest, then how it was deflated. */
bool
zip_write(const WriteCtx *ctx)
{
	g_autofree char *name = g_strconcat(ctx->pkg_name, ".zip", NULL);
	g_autofree char *zip = g_build_filename(ctx->stage, name, NULL);
	g_autofree char *old_zip = g_build_filename(ctx->old_out, name, NULL);
	g_autofree char *stamp = g_build_filename(ctx->stage, WRITE_CACHE_DIR, "stamps", "zip", NULL);
	g_autofree char *old_stamp = g_build_filename(ctx->old_out, WRITE_CACHE_DIR, "stamps", "zip", NULL);
	const val *date = val_path(ctx->pl->root, "build.date");
	const char *day = date ? date->str : NULL;
	g_autofree char *key = zip_key(ctx->program, ctx->pkg, ctx->pkg_name, day);
	if (!key)
		return false;
	/* The stamp: the digest, then how the zip was deflated. */
	g_autofree char *was = stamp_read(old_stamp);
	char *nl = was ? strchr(was, '\n') : NULL;
	const char *old_deflater = nl ? nl + 1 : NULL;
	if (nl)
		*nl = '\0';
	g_autofree char *now = zip_stamp(key, old_zip);
	bool same = !ctx->opts->force && was && now && !strcmp(was, now) && fileop_link(old_zip, zip);
	/* The previous zip's deflated entries are copied only when it was
	 * deflated as this one is (same rules, same zlib): then a copied
	 * entry has the bytes deflating the file again would give. */
	g_autofree char *deflater = g_strdup_printf("dossier-zip 2, level %d, zlib %s",
						    DEFLATE_LEVEL, zlibVersion());
	bool reuse = !ctx->opts->force && old_deflater && !strcmp(old_deflater, deflater) &&
		     g_file_test(old_zip, G_FILE_TEST_IS_REGULAR) &&
		     !g_file_test(old_zip, G_FILE_TEST_IS_SYMLINK);
	if (!same && !zip_bundle_from(ctx->pkg, ctx->pkg_name, day, zip, reuse ? old_zip : NULL))
		return false;
	if (ctx->opts->verbose)
		diag_say("dossier: %s %s", same ? "unchanged" : "written  ", name);
	g_autofree char *mine = zip_stamp(key, zip);
	g_autofree char *line = mine ? g_strconcat(mine, "\n", deflater, NULL) : NULL;
	return line && stamp_write(stamp, line);
}
