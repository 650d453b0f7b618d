/*
 * calendar_kernel.c — working days: weekdays, less listed holidays, plus
 * listed make-up days.  Deadlines of service matters and approval steps are
 * counted in working days (R4.2 time limits, R3 steps).
 *
 * Counting is closed-form over whole weeks and corrected by the exceptions
 * that fall in the range (two binary searches over a prefix sum), so a count
 * over years costs the same as over days.
 */
#include "calendar_kernel.h"

/* 2000-01-03, a Monday: the origin of week counting. */
#define MONDAY_ORIGIN 2

/* Floor of a / b for b > 0 (C division truncates towards zero). */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* ISO day of week of a day: 1 = Monday … 7 = Sunday. */
int
calendar_isodow(int32_t day)
{
	int64_t		off = (int64_t) day - MONDAY_ORIGIN;

	return (int) (off - 7 * floor_div(off, 7)) + 1;
}

/* Monday–Friday days on or before day, counted from the origin (may be < 0). */
static int64_t
weekdays_upto(int32_t day)
{
	int64_t		off = (int64_t) day - MONDAY_ORIGIN;
	int64_t		weeks = floor_div(off, 7);
	int64_t		rem = off - 7 * weeks;	/* 0 = Monday … 6 = Sunday */

	return 5 * weeks + (rem < 5 ? rem + 1 : 5);
}

/* What one exception changes in a count of working days. */
static int
exception_delta(const calendar_exception *e)
{
	bool		weekday = calendar_isodow(e->day) <= 5;

	if (e->working && !weekday)
		return 1;
	if (!e->working && weekday)
		return -1;
	return 0;
}

/* Fill cal->prefix (n + 1 entries, caller-allocated) from cal->exceptions. */
void
calendar_build_prefix(calendar *cal)
{
	cal->prefix[0] = 0;
	for (int i = 0; i < cal->n; i++)
		cal->prefix[i + 1] = cal->prefix[i] + exception_delta(&cal->exceptions[i]);
}

/* Number of exceptions with day <= d (index of the first one after d). */
static int
exceptions_upto(const calendar *cal, int32_t d)
{
	int			lo = 0,
				hi = cal->n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (cal->exceptions[mid].day <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether a day is a working day. */
bool
calendar_is_working(const calendar *cal, int32_t day)
{
	int			i = exceptions_upto(cal, day);

	if (i > 0 && cal->exceptions[i - 1].day == day)
		return cal->exceptions[i - 1].working;
	return calendar_isodow(day) <= 5;
}

/* Working days in (a, b]: after a, up to and including b; 0 when b <= a. */
int64_t
calendar_working_between(const calendar *cal, int32_t a, int32_t b)
{
	if (b <= a)
		return 0;
	return weekdays_upto(b) - weekdays_upto(a)
		+ cal->prefix[exceptions_upto(cal, b)] - cal->prefix[exceptions_upto(cal, a)];
}

/*
 * The n-th working day after d (d itself when n <= 0), searching no later
 * than last: the smallest e > d with n working days in (d, e].  The count
 * only grows with e, so the answer is found by doubling an upper bound and
 * then bisecting.  Returns false when there is no such day up to last.
 */
bool
calendar_add_working(const calendar *cal, int32_t d, int32_t n, int32_t last, int32_t *result)
{
	int64_t		lo,
				hi,
				step;

	if (n <= 0)
	{
		*result = d;
		return true;
	}
	if (d >= last)
		return false;
	lo = d;						/* count(lo) < n */
	step = 2 * (int64_t) n + 7;
	hi = (int64_t) d + step;
	while (hi < last && calendar_working_between(cal, d, (int32_t) hi) < n)
	{
		lo = hi;
		step *= 2;
		hi = (int64_t) d + step;
	}
	if (hi >= last)
	{
		hi = last;
		if (calendar_working_between(cal, d, last) < n)
			return false;
	}
	while (hi - lo > 1)			/* count(lo) < n <= count(hi) */
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (calendar_working_between(cal, d, (int32_t) mid) >= n)
			hi = mid;
		else
			lo = mid;
	}
	*result = (int32_t) hi;
	return true;
}

/*
 * Merge sorted layers, later layers overriding earlier ones on the same day
 * (a k-way merge: at each step the smallest day among the layers' heads;
 * layers are a division's ancestors, so a linear scan of the heads is enough).
 * Layers past CALENDAR_MAX_LAYERS are ignored.
 */
int
calendar_merge(const calendar_exception *const *layers, const int *counts,
			   int nlayers, calendar_exception *out)
{
	int			pos[CALENDAR_MAX_LAYERS] = {0};
	int			n = 0;

	if (nlayers > CALENDAR_MAX_LAYERS)
		nlayers = CALENDAR_MAX_LAYERS;
	for (;;)
	{
		bool		any = false;
		int32_t		day = 0;
		bool		working = false;

		for (int l = 0; l < nlayers; l++)
			if (pos[l] < counts[l] && (!any || layers[l][pos[l]].day < day))
			{
				day = layers[l][pos[l]].day;
				any = true;
			}
		if (!any)
			return n;
		for (int l = 0; l < nlayers; l++)
			if (pos[l] < counts[l] && layers[l][pos[l]].day == day)
				working = layers[l][pos[l]++].working;	/* the last layer wins */
		out[n].day = day;
		out[n].working = working;
		n++;
	}
}
