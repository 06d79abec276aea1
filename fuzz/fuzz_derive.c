/* fuzz_derive.c - libFuzzer target: schema → content → derive.
 *
 * templates/schema.yaml is the user's to edit, so the fuzzer writes the
 * schema as well as the content.  The input is split at lines "%%" into
 * up to eight files, in this order:
 *   templates/schema.yaml, content/company.yaml, content/pricing.yaml,
 *   content/triggers.yaml, content/financials.yaml,
 *   content/metrics/2026-01.yaml, content/metrics/2026-02.yaml,
 *   content/case-studies/a.md
 * (a part left out is no file).  They are written to a fresh folder,
 * loaded with content_load() and, when that succeeds, derived with
 * derive_all().  Whatever the schema makes optional or retypes, derive
 * must report it as a located error, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "base/diag.h"
#include "derive/derive.h"
#include "load/content.h"

static const char *const files[] = {
	"templates/schema.yaml", "content/company.yaml", "content/pricing.yaml",
	"content/triggers.yaml", "content/financials.yaml",
	"content/metrics/2026-01.yaml", "content/metrics/2026-02.yaml",
	"content/case-studies/a.md",
};

static char *root;

static void
clear(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *p = g_build_filename(root, files[i], NULL);
		g_unlink(p);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	if (!root) {
		root = g_dir_make_tmp("dossier-fuzz-derive-XXXXXX", NULL);
		if (!root)
			abort();
		const char *dirs[] = { "templates", "content/metrics", "content/case-studies",
				       "content/attachments" };
		for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
			g_autofree char *d = g_build_filename(root, dirs[i], NULL);
			g_mkdir_with_parents(d, 0755);
		}
	}
	clear();
	const char *p = (const char *)data, *end = p + size;
	for (size_t i = 0; i < G_N_ELEMENTS(files) && p <= end; i++) {
		const char *sep = g_strstr_len(p, end - p, "\n%%\n");
		const char *stop = sep ? sep + 1 : end;
		g_autofree char *path = g_build_filename(root, files[i], NULL);
		if (stop > p && !g_file_set_contents(path, p, stop - p, NULL))
			abort();
		if (!sep)
			break;
		p = sep + 4;
	}
	g_autofree char *content = g_build_filename(root, "content", NULL);
	g_autofree char *templates = g_build_filename(root, "templates", NULL);
	g_autofree char *attachments = g_build_filename(content, "attachments", NULL);
	diag_capture_begin();
	val *tree = content_load(content, templates);
	if (tree) {
		unsigned before = diag_errors();
		bool ok = derive_all(tree, NULL, attachments);
		/* derive fails exactly when it said why. */
		if (ok != (diag_errors() == before))
			abort();
		val_free(tree);
	}
	g_free(diag_capture_end());
	diag_reset();
	return 0;
}
