/* fuzz_markdown.c - libFuzzer target: any bytes as Markdown through the
 * typesetter's layout (typeset_dump: cmark-gfm, then Pango line breaking,
 * tables and page breaks, without drawing).  Images are looked for in an
 * empty folder, so an image is a located error, not a file read. */
#include <stdint.h>

#include "base/diag.h"
#include "typeset/typeset.h"

static typeset_theme *theme;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)		/* layout is linear; keep each run short */
		return 0;
	if (!theme)
		theme = typeset_theme_load(NULL);
	typeset_meta meta = { .title = "Fuzz", .base_dir = "/nonexistent", .date = 0 };
	diag_capture_begin();
	g_free(typeset_dump(theme, &meta, (const char *)data, size, "fuzz.md"));
	g_free(diag_capture_end());
	diag_reset();
	return 0;
}
