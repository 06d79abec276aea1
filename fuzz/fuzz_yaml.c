/* fuzz_yaml.c - libFuzzer target: any bytes through the YAML loader.
 *
 * yaml_load_string() must return a tree or NULL after one located message,
 * never crash, hang or leak, whatever the input (aliases, depth, junk).
 */
#include <stdint.h>

#include "base/diag.h"
#include "load/yaml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_capture_begin();
	val *v = yaml_load_string("fuzz.yaml", (const char *)data, size);
	val_free(v);
	g_free(diag_capture_end());
	diag_reset();
	return 0;
}
