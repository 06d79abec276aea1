/* fuzz_tmpl.c - libFuzzer target: any text as a Mustache template.
 *
 * tmpl_parse() then tmpl_render() against a small fixed data tree, without
 * and with strict mode.  Partials come from a loader that serves the input
 * itself under the name "self" and a fixed text under "p", so recursion,
 * fan-out and inheritance are reachable.  The render bounds (depth, steps,
 * output) must stop anything that would not finish.
 */
#include <stdint.h>
#include <string.h>

#include "base/diag.h"
#include "load/yaml.h"
#include "render/tmpl.h"

static const char data_yaml[] =
	"name: CampoTech\n"
	"n: 3\n"
	"ok: true\n"
	"none: null\n"
	"html: \"<b>&</b>\"\n"
	"list: [a, b, c]\n"
	"items:\n"
	"  - {title: One, value: 1, tags: [x, y]}\n"
	"  - {title: Two, value: 2.5, tags: []}\n"
	"company: {name: CampoTech, address: {city: \"Córdoba\"}}\n"
	"empty: []\n"
	"partial_name: p\n";

static val *data;
static char *self_text;

static char *
load(void *ud, const char *name, char **file_out)
{
	if (!strcmp(name, "self"))
		return g_strdup(self_text);
	if (!strcmp(name, "p"))
		return g_strdup("[{{name}}{{#list}}<{{.}}>{{/list}}{{$b}}default{{/b}}]\n");
	if (!strcmp(name, "parent"))
		return g_strdup("{{$body}}none{{/body}}|{{>p}}");
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	if (!data)
		data = yaml_load_string("data.yaml", data_yaml, sizeof data_yaml - 1);
	/* Templates are text: the engine reads a NUL-terminated string. */
	char *text = g_strndup((const char *)bytes, size);
	self_text = text;

	diag_capture_begin();
	tmpl *t = tmpl_parse("fuzz.mustache", text);
	if (t) {
		for (int strict = 0; strict < 2; strict++) {
			tmpl_opts opts = { .strict = strict, .load = load };
			g_free(tmpl_render(t, data, &opts));
		}
		tmpl_free(t);
	}
	g_free(diag_capture_end());
	diag_reset();
	g_free(text);
	return 0;
}
