/*
 * fuzz_calendar.c — libFuzzer target for the working-day kernel: the bytes
 * become a calendar of up to 64 listed days (holidays and make-up days,
 * around a base day that may lie before 2000) and a set of queries.  The
 * closed-form counts must equal day-by-day counting, and the n-th working
 * day must be found, working, and exactly n working days on.
 */
#include "calendar_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EXCEPTIONS 64

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input: a calendar and up to 16 queries against brute force. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		pos = 0;
	int32_t		base = ((int32_t) fuzz_next_byte(data, size, &pos) - 128) * 97;
	int			want = fuzz_next_byte(data, size, &pos) % (MAX_EXCEPTIONS + 1);
	calendar_exception ex[MAX_EXCEPTIONS];
	int32_t		prefix[MAX_EXCEPTIONS + 1];
	calendar	cal;
	int			n = 0;
	int32_t		day = base;

	/* strictly increasing days, as the cache holds them */
	for (int i = 0; i < want; i++)
	{
		day += 1 + fuzz_next_byte(data, size, &pos) % 9;
		ex[n].day = day;
		ex[n].working = fuzz_next_byte(data, size, &pos) & 1;
		n++;
	}
	cal.exceptions = ex;
	cal.prefix = prefix;
	cal.n = n;
	calendar_build_prefix(&cal);

	for (int q = 0; q < 16 && pos < size; q++)
	{
		int32_t		a = base - 20 + fuzz_next_byte(data, size, &pos) * 2;
		int32_t		b = a + fuzz_next_byte(data, size, &pos) - 16;
		int32_t		k = fuzz_next_byte(data, size, &pos) % 40;
		int64_t		slow = 0;
		int32_t		r = 0,
					count = 0;

		for (int32_t d = a + 1; d <= b; d++)
			slow += calendar_is_working(&cal, d);
		REQUIRE(calendar_working_between(&cal, a, b) == slow);
		if (calendar_add_working(&cal, a, k, a + 400, &r))
		{
			REQUIRE(k <= 0 ? r == a : (r > a && calendar_is_working(&cal, r)));
			for (int32_t d = a + 1; d <= r; d++)
				count += calendar_is_working(&cal, d);
			REQUIRE(k <= 0 || count == k);
		}
		else
			REQUIRE(calendar_working_between(&cal, a, a + 400) < k);
	}
	return 0;
}
