/*
 * test_calendar.c — unit tests of the working-day kernel: known dates, the
 * 2024 Chinese public holidays, and the closed-form counts checked against a
 * day-by-day count over many ranges (including days before 2000).
 */
#include "calendar_kernel.h"
#include "tap.h"

#include <stdlib.h>

/* Day number (days from 2000-01-01) of a Gregorian date. */
static int32_t
day_of(int y, int m, int d)
{
	/* days from civil, H. Hinnant's algorithm */
	int			yy = y - (m <= 2);
	int			era = (yy >= 0 ? yy : yy - 399) / 400;
	int			yoe = yy - era * 400;
	int			doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 730425);
}

/* Count working days in (a, b] one day at a time. */
static long long
slow_between(const calendar *cal, int32_t a, int32_t b)
{
	long long	n = 0;

	for (int32_t x = a + 1; x <= b; x++)
		n += calendar_is_working(cal, x);
	return n;
}

/* The n-th working day after d, one day at a time. */
static int32_t
slow_add(const calendar *cal, int32_t d, int32_t n)
{
	int32_t		x = d;

	while (n > 0)
	{
		x++;
		if (calendar_is_working(cal, x))
			n--;
	}
	return x;
}

int
main(void)
{
	/* 2024: Spring Festival 2-10 to 2-17 off, 2-4 and 2-18 (Sun) worked; National Day 10-1..10-7, 9-29 and 10-12 worked */
	calendar_exception ex[] = {
		{0, false},				/* 2000-01-01, a Saturday "holiday": no effect */
		{day_of(2024, 2, 4), true}, {day_of(2024, 2, 10), false}, {day_of(2024, 2, 11), false},
		{day_of(2024, 2, 12), false}, {day_of(2024, 2, 13), false}, {day_of(2024, 2, 14), false},
		{day_of(2024, 2, 15), false}, {day_of(2024, 2, 16), false}, {day_of(2024, 2, 17), false},
		{day_of(2024, 2, 18), true}, {day_of(2024, 9, 29), true}, {day_of(2024, 10, 1), false},
		{day_of(2024, 10, 2), false}, {day_of(2024, 10, 3), false}, {day_of(2024, 10, 4), false},
		{day_of(2024, 10, 7), false}, {day_of(2024, 10, 12), true},
	};
	int32_t		prefix[sizeof(ex) / sizeof(ex[0]) + 1];
	calendar	cal = {ex, prefix, (int) (sizeof(ex) / sizeof(ex[0]))};
	calendar	plain = {NULL, prefix, 0};
	int32_t		r = 0;
	int			bad = 0;

	calendar_build_prefix(&cal);

	is_int(calendar_isodow(0), 6, "2000-01-01 was a Saturday");
	is_int(calendar_isodow(day_of(2024, 11, 26)), 2, "2024-11-26 was a Tuesday");
	is_int(calendar_isodow(day_of(1949, 10, 1)), 6, "1949-10-01 was a Saturday (before day 0)");
	ok(!calendar_is_working(&cal, day_of(2024, 10, 1)), "National Day is not a working day");
	ok(calendar_is_working(&cal, day_of(2024, 9, 29)), "Sunday 2024-09-29 is a make-up working day");
	ok(!calendar_is_working(&plain, day_of(2024, 9, 29)), "without the calendar it is a Sunday off");
	is_int(calendar_working_between(&cal, day_of(2024, 9, 27), day_of(2024, 10, 8)), 3,
		   "after Fri 9-27 up to Tue 10-8: Sun 9-29 (make-up), Mon 9-30 and Tue 10-8; the holidays do not count");
	is_int(calendar_working_between(&cal, day_of(2024, 10, 8), day_of(2024, 10, 8)), 0, "an empty range counts 0");
	is_int(calendar_working_between(&cal, day_of(2024, 10, 9), day_of(2024, 10, 8)), 0, "a reversed range counts 0");
	ok(calendar_add_working(&cal, day_of(2024, 9, 30), 3, day_of(9999, 12, 31), &r) && r == day_of(2024, 10, 10),
	   "3 working days after Mon 9-30 is Thu 10-10 (the holiday week skipped)");
	ok(calendar_add_working(&cal, day_of(2024, 10, 11), 1, day_of(9999, 12, 31), &r) && r == day_of(2024, 10, 12),
	   "1 working day after Fri 10-11 is Sat 10-12 (make-up day)");
	ok(calendar_add_working(&cal, day_of(2024, 5, 5), 0, day_of(9999, 12, 31), &r) && r == day_of(2024, 5, 5),
	   "0 working days after d is d");
	ok(calendar_add_working(&cal, day_of(2024, 5, 5), -4, day_of(9999, 12, 31), &r) && r == day_of(2024, 5, 5),
	   "a negative count gives d");
	ok(!calendar_add_working(&cal, day_of(2024, 5, 3), 3, day_of(2024, 5, 7), &r),
	   "no answer before the search limit: reported, not invented");
	ok(calendar_add_working(&cal, day_of(2024, 5, 3), 2, day_of(2024, 5, 7), &r) && r == day_of(2024, 5, 7),
	   "an answer exactly at the search limit is found");

	/* closed forms against day-by-day counting, over 2023-12 .. 2024-12 and around day 0 */
	srand(2016);
	for (int i = 0; i < 4000; i++)
	{
		int32_t		base = (i % 2) ? day_of(2023, 12, 1) : -400;
		int32_t		a = base + rand() % 400;
		int32_t		b = a + rand() % 60 - 5;
		int32_t		n = rand() % 40;

		if (calendar_working_between(&cal, a, b) != (b > a ? slow_between(&cal, a, b) : 0))
			bad++;
		if (!calendar_add_working(&cal, a, n, day_of(9999, 12, 31), &r) || r != slow_add(&cal, a, n))
			bad++;
	}
	is_int(bad, 0, "4,000 random ranges: closed-form counts and n-th working days equal day-by-day ones");
	is_int(calendar_working_between(&plain, day_of(2024, 1, 1), day_of(2124, 1, 1)),
		   slow_between(&plain, day_of(2024, 1, 1), day_of(2124, 1, 1)), "a century of plain weeks");

	/* layers (R14.1): a region's days override the nation's on the same day */
	{
		calendar_exception nation[] = {{day_of(2025, 3, 29), true}, {day_of(2025, 10, 1), false}, {day_of(2025, 10, 2), false}};
		calendar_exception region[] = {{day_of(2025, 3, 29), false}, {day_of(2025, 3, 31), false}};
		calendar_exception county[] = {{day_of(2025, 3, 31), true}, {day_of(2026, 1, 5), false}};
		const calendar_exception *layers[] = {nation, region, county};
		int			counts[] = {3, 2, 2};
		calendar_exception out[7];
		int			m = calendar_merge(layers, counts, 3, out);
		int			sorted = 1;

		is_int(m, 5, "three layers with two shared days merge into five days");
		for (int i = 1; i < m; i++)
			sorted &= out[i - 1].day < out[i].day;
		ok(sorted, "the merged days are sorted, none twice");
		ok(out[0].day == day_of(2025, 3, 29) && !out[0].working, "a day both list: the region's (later layer) wins");
		ok(out[1].day == day_of(2025, 3, 31) && out[1].working, "a day region and county list: the county's wins");
		ok(out[4].day == day_of(2026, 1, 5) && !out[4].working, "a day only the last layer lists is kept");
		is_int(calendar_merge(layers, counts, 1, out), 3, "one layer merges into itself");
		counts[0] = 0;
		is_int(calendar_merge(layers, counts, 1, out), 0, "an empty layer gives an empty calendar");
	}
	return done_testing();
}
