/*
 * fuzz_idcard.c — libFuzzer target for the GB 11643 identity-number kernel:
 * any bytes as input text, with a fixed "today".  A number that parses
 * checks again from its body, prints in 18 characters that parse back to
 * the same body, has a real birth date not after today, and masks to a
 * string of the same length.
 */
#include "idcard_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: parse it, then check what a valid number promises. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const idcard_date today = {2026, 11, 26};
	int64_t		body = -1,
				again = -1;
	char		buf[IDCARD_TEXT_SIZE];
	char		masked[IDCARD_TEXT_SIZE];
	idcard_date born;

	if (idcard_parse((const char *) data, size, today, &body) != IDCARD_OK)
		return 0;
	REQUIRE(idcard_check_body(body, today) == IDCARD_OK);
	idcard_format(body, buf);
	REQUIRE(strlen(buf) == 18);
	REQUIRE(buf[17] == idcard_check_char(body));
	REQUIRE(idcard_parse(buf, 18, today, &again) == IDCARD_OK && again == body);
	idcard_mask(body, masked);
	REQUIRE(strlen(masked) == 18);
	born = idcard_birth_date(body);
	REQUIRE(born.month >= 1 && born.month <= 12 && born.day >= 1 && born.day <= 31);
	REQUIRE(born.year < today.year ||
			(born.year == today.year && (born.month < today.month ||
										 (born.month == today.month && born.day <= today.day))));
	REQUIRE(idcard_address_code(body) >= 100000 && idcard_address_code(body) <= 999999);
	(void) idcard_is_male(body);
	return 0;
}
