/* fuzz_csv.c - libFuzzer target: any bytes through the CSV loader, read as
 * a clients export (id, industry, city, messages).
 *
 * csvfile_load_string() must return a list or NULL after located messages,
 * never crash, hang or leak, whatever the input (quotes, line ends, junk).
 */
#include <stdint.h>

#include "base/diag.h"
#include "load/csvfile.h"
#include "load/yaml.h"

static const char schema_text[] =
	"id: string\nindustry: string\ncity: string\nmessages: count\nnote: text?\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static val *schema;
	if (!schema)
		schema = yaml_load_string("schema.yaml", schema_text, sizeof schema_text - 1);
	diag_capture_begin();
	val *v = csvfile_load_string("fuzz.csv", (const char *)data, size, schema);
	val_free(v);
	g_free(diag_capture_end());
	diag_reset();
	return 0;
}
