/* base/stamp.c - file identities and stamp files (see stamp.h). */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileop.h"
#include "base/file.h"
#include "base/stamp.h"

void
stamp_add_str(GChecksum *c, const char *s)
{
	g_checksum_update(c, (const guchar *)(s ? s : ""), -1);
	g_checksum_update(c, (const guchar *)"\n", 1);
}

bool
stamp_add_file(GChecksum *c, const char *name, const char *path)
{
	struct stat st;
	bool ok = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
	g_autofree char *id = ok ? g_strdup_printf("%s %jd %jd.%09ld %ju %ju", name, (intmax_t)st.st_size,
						   (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
						   (uintmax_t)st.st_dev, (uintmax_t)st.st_ino)
				 : g_strdup_printf("%s missing", name);
	stamp_add_str(c, id);
	return ok;
}

bool
stamp_add_file_bytes(GChecksum *c, const char *name, const char *path)
{
	g_autofree char *why = NULL;
	guint64 size = 0;
	g_autofree char *sha = file_sha256(path, &size, &why);
	stamp_add_str(c, name);
	g_autofree char *n = sha ? g_strdup_printf("sha256 %s %" G_GUINT64_FORMAT, sha, size)
				 : g_strdup("missing");
	stamp_add_str(c, n);
	return sha != NULL;
}

char *
stamp_read(const char *file)
{
	char *s = NULL;
	g_autofree char *why = NULL;
	if (!file_read(file, FILE_MAX_CONTENT, &s, NULL, &why))
		return NULL;
	return g_strstrip(s);
}

bool
stamp_write(const char *file, const char *digest)
{
	g_autofree char *line = g_strconcat(digest, "\n", NULL);
	return fileop_write(file, line, strlen(line));
}
