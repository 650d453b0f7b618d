/*
 * fuzz_divcode.c — libFuzzer target for the division-code kernel: any bytes
 * as input text.  Beyond "no crash, no sanitizer report": a code that parses
 * passes divcode_check, prints and parses back to itself, lies in its
 * parent's subtree, and its ancestors are consistent with its level.
 */
#include "divcode_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: parse it, then check what a valid code promises. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t		code = -1,
				again = -1;
	int			bad = 0;
	char		buf[DIVCODE_TEXT_SIZE];
	char		shortbuf[DIVCODE_TEXT_SIZE];
	int			level;

	if (divcode_parse((const char *) data, size, &code, &bad) != DIVCODE_OK)
		return 0;
	REQUIRE(code >= 0 && code <= DIVCODE_MAX_VALUE);
	REQUIRE(divcode_check(code, &bad) == DIVCODE_OK);
	divcode_format(code, buf);
	REQUIRE(strlen(buf) == 12);
	REQUIRE(divcode_parse(buf, strlen(buf), &again, &bad) == DIVCODE_OK && again == code);
	divcode_format_short(code, shortbuf);
	REQUIRE(divcode_parse(shortbuf, strlen(shortbuf), &again, &bad) == DIVCODE_OK && again == code);
	level = divcode_level(code);
	REQUIRE(level >= DIVCODE_LEVEL_PROVINCE && level <= DIVCODE_LEVEL_VILLAGE);
	REQUIRE(divcode_subtree_last(code) >= code);
	REQUIRE(divcode_contains(code, code));
	REQUIRE(divcode_ancestor(code, level) == code);
	if (level > DIVCODE_LEVEL_PROVINCE)
	{
		int64_t		parent = divcode_parent(code);

		REQUIRE(parent >= 0 && parent != code);
		REQUIRE(divcode_contains(parent, code));
		REQUIRE(divcode_level(parent) < level);
		REQUIRE(divcode_subtree_last(parent) >= divcode_subtree_last(code));
	}
	REQUIRE(divcode_kind_name(divcode_kind_of(code)) != NULL);
	return 0;
}
