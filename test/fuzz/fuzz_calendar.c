/*
 * fuzz_calendar.c — libFuzzer target for the working-day kernel: the bytes
 * become a calendar of up to 64 listed days (holidays and make-up days,
 * around a base day that may lie before 2000) and a set of queries.  The
 * closed-form counts must equal day-by-day counting, and the n-th working
 * day must be found, working, and exactly n working days on.  The same
 * days spread over up to four layers must merge (calendar_merge) into one
 * sorted list where each day takes the value of the last layer listing it.
 */
#include "calendar_kernel.h"
#include "fuzz_bytes.h"

#include <stdbool.h>
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

	/* layers: each listed day goes into some of four layers, with its own flag in each */
	{
		calendar_exception layer_days[4][MAX_EXCEPTIONS];
		const calendar_exception *layers[4];
		int			counts[4] = {0, 0, 0, 0};
		bool		expect[MAX_EXCEPTIONS];
		bool		listed[MAX_EXCEPTIONS];
		calendar_exception out[4 * MAX_EXCEPTIONS];
		int			m,
					k = 0;

		for (int i = 0; i < n; i++)
		{
			uint8_t		mask = fuzz_next_byte(data, size, &pos);

			listed[i] = false;
			for (int l = 0; l < 4; l++)
				if (mask & (1 << l))
				{
					bool		w = (mask >> (4 + l)) & 1;

					layer_days[l][counts[l]].day = ex[i].day;
					layer_days[l][counts[l]].working = w;
					counts[l]++;
					expect[i] = w;	/* the last layer wins */
					listed[i] = true;
				}
		}
		for (int l = 0; l < 4; l++)
			layers[l] = layer_days[l];
		m = calendar_merge(layers, counts, 4, out);
		for (int i = 0; i < n; i++)
			if (listed[i])
			{
				REQUIRE(k < m && out[k].day == ex[i].day && out[k].working == expect[i]);
				k++;
			}
		REQUIRE(k == m);
	}
	return 0;
}
