/* fuzz_front_matter.c - libFuzzer target: a case study's front matter split.
 *
 * content_front_matter() gets what g_file_get_contents() gives it: the
 * bytes followed by a NUL.  It must return the parsed front matter with a
 * body inside the text, or NULL after a located message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/content.h"
#include "base/diag.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = g_malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	const char *body = NULL;
	int body_line = 0;
	diag_capture_begin();
	val *fm = content_front_matter("fuzz.md", text, size, &body, &body_line);
	g_free(diag_capture_end());
	diag_reset();
	if (fm) {
		if (body < text || body > text + size || body_line < 2)
			abort();
		val_free(fm);
	}
	g_free(text);
	return 0;
}
