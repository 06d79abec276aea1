/* fuzz_privacy.c - libFuzzer target: the personal-data scan of case studies.
 *
 * The scan runs over every string of a case study, which the loader has
 * checked to be UTF-8 without NUL bytes; so does this target.  First
 * privacy_find(), repeated over the text: each finding must lie inside
 * it.  Then the whole scan of a case study whose body is the input and
 * whose front matter declares names in several scripts, some with an
 * alias: Markdown parsed and lined up with its source, normalised with
 * ICU, names matched with attached prefixes and suffixes, aliases put in.
 * The body that comes out must still be UTF-8.  A slow path shows up as a
 * libFuzzer timeout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "load/privacy.h"
#include "load/yaml.h"

static const char front_matter[] =
	"---\n"
	"title: A story\n"
	"allowed: [\"+54 351 400-0000\"]\n"
	"private:\n"
	"  - {name: 田中太郎, alias: T氏}\n"
	"  - {name: Ana Gómez, alias: \"**the owner**\"}\n"
	"  - {name: דוד, alias: הלקוח}\n"
	"  - {name: أحمد}\n"
	"  - {name: 김철수}\n";

static const char rules_yaml[] =
	"national_ids: []\n"
	"attached:\n"
	"  - {script: Hebrew, prefixes: [מ, ש, ה, ו, כ, ל, ב]}\n"
	"  - {script: Arabic, prefixes: [ال, و, ف, ل, ب, ك, س]}\n"
	"  - {script: Hangul, suffixes: [은, 는, 이, 가, 에게]}\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!g_utf8_validate((const char *)data, (gssize)size, NULL))
		return 0;
	char *text = g_strndup((const char *)data, size);
	if (strlen(text) != size) {	/* a NUL: the loader never passes one */
		g_free(text);
		return 0;
	}
	gsize base = 0, off, len;
	while (privacy_find(text + base, &off, &len)) {
		if (len == 0 || base + off + len > size)
			abort();
		base += off + len;
	}

	static privacy_rules *rules;
	if (!rules) {
		val *doc = yaml_load_string("privacy.yaml", rules_yaml, strlen(rules_yaml));
		rules = privacy_rules_new(doc, "AR");
		val_free(doc);
		if (!rules)
			abort();
	}
	val *cs = yaml_load_string("cs.md", front_matter, strlen(front_matter));
	val_set_string(cs, "body", text);
	val_set_number(cs, "body_line", 11);
	val_set_string(cs, "file", "cs.md");
	diag_capture_begin();
	privacy_scan_case_study(cs, rules);
	g_free(diag_capture_end());
	diag_reset();
	if (!g_utf8_validate(val_get(cs, "body")->str, -1, NULL))
		abort();
	val_free(cs);
	g_free(text);
	return 0;
}
