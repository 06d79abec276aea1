/* zip.h - OUT/bsp-application.zip, the package as one file for upload
 * (package stage; the output is zip_write() in write.h).
 *
 * Via minizip (zlib).  Entries are the package's files under the
 * package's folder name, in bytewise path order, every one stamped with the
 * same date (the build date, not the wall clock), so the same package gives
 * a byte-identical zip.  Text is deflated; formats that are compressed
 * already (PDF, xlsx, PNG, JPEG, ...) are stored as they are.
 */
#ifndef DOSSIER_BUNDLE_H
#define DOSSIER_BUNDLE_H

#include <stdbool.h>

/* Zip every regular file under `pkg_dir` into `zip_path` as
 * "<prefix>/<path>", with the timestamp `date` ("YYYY-MM-DD", 12:00; NULL
 * or malformed: 1980-01-01).  Written to a temporary file beside zip_path
 * and renamed over it, so a reader never sees half a zip.  Returns false
 * after a diag() error; zip_path is then as it was. */
bool zip_bundle(const char *pkg_dir, const char *prefix, const char *date,
		  const char *zip_path);

/* The same; an entry that `old_zip` (a zip zip_bundle made with the same
 * zlib, or NULL) holds deflated with exactly the same bytes is copied
 * from it as it is deflated, not deflated again: the same zip, sooner. */
bool zip_bundle_from(const char *pkg_dir, const char *prefix, const char *date,
		       const char *zip_path, const char *old_zip);

#endif
