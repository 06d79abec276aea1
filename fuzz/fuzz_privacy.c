/* fuzz_privacy.c - libFuzzer target: the personal-data scan of case studies.
 *
 * privacy_find() runs over every string of a case study, which the loader
 * has checked to be UTF-8 without NUL bytes; so does this target.  Each
 * finding must lie inside the text, and the scan must stay linear (a slow
 * pattern shows up as a libFuzzer timeout).
 */
#include <stdint.h>
#include <stdlib.h>

#include "load/privacy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_utf8_validate((const char *)data, (gssize)size, NULL))
		return 0;
	char *text = g_strndup((const char *)data, size);
	gsize base = 0, off, len;
	while (privacy_find(text + base, &off, &len)) {
		if (len == 0 || base + off + len > size)
			abort();
		base += off + len;
	}
	g_free(text);
	return 0;
}
