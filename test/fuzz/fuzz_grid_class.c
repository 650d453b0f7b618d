/*
 * fuzz_grid_class.c — libFuzzer target for the R7.2 grid-class kernel: any
 * indicators (including zero households and negative counts) and
 * thresholds; the answer is always one of the four classes.
 */
#include "grid_class_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: indicators and thresholds straight from the bytes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	grid_indicators ind;
	grid_class_thresholds t;
	const char *cls;

	if (size < sizeof(ind) + sizeof(t))
		return 0;
	memcpy(&ind, data, sizeof(ind));
	memcpy(&t, data + sizeof(ind), sizeof(t));
	cls = grid_class_decide(&ind, &t);
	REQUIRE(cls != NULL);
	REQUIRE(strcmp(cls, "routine") == 0 || strcmp(cls, "general_prevention") == 0 ||
			strcmp(cls, "key_attention") == 0 || strcmp(cls, "comprehensive_remediation") == 0);
	return 0;
}
