/* base/file.c - bounded reads of regular files (see file.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"

char *
file_size_text(size_t bytes)
{
	if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
		return g_strdup_printf("%zu MiB", bytes >> 20);
	if (bytes >= 1024 && bytes % 1024 == 0)
		return g_strdup_printf("%zu KiB", bytes >> 10);
	return g_strdup_printf("%zu bytes", bytes);
}

static const char *
kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "something other than a file";
}

static char *
too_large(size_t max)
{
	g_autofree char *lim = file_size_text(max);
	return g_strdup_printf("file is larger than the limit of %s", lim);
}

bool
file_read(const char *path, size_t max, char **text, size_t *len, char **why)
{
	*text = NULL;
	*why = NULL;
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
		close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = g_strdup_printf("cannot read: %s, not a regular file", kind_name(st.st_mode));
		close(fd);
		return false;
	}
	if ((guint64)st.st_size > max) {
		*why = too_large(max);
		close(fd);
		return false;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = g_malloc(cap + 1);
	for (;;) {
		if (n == cap) {		/* the file grew while we read it */
			if (cap > max) {
				g_free(buf);
				close(fd);
				*why = too_large(max);
				return false;
			}
			cap = MIN(cap * 2, (size_t)max + 1);
			buf = g_realloc(buf, cap + 1);
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*why = g_strdup_printf("cannot read: %s", g_strerror(errno));
			g_free(buf);
			close(fd);
			return false;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (n > max) {
		g_free(buf);
		*why = too_large(max);
		return false;
	}
	buf[n] = '\0';
	*text = buf;
	if (len)
		*len = n;
	return true;
}
