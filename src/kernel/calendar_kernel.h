/*
 * calendar_kernel.h — working-day arithmetic over a list of exceptions
 * (holidays and make-up working days), without postgres.h.
 *
 * Days are integers counted from 2000-01-01 (day 0, a Saturday), the same
 * numbering as PostgreSQL's DateADT.  Monday to Friday are working days
 * unless the calendar lists the day as a holiday; a listed weekend day with
 * working = true is a make-up working day 调休.
 */
#ifndef SDBC_CALENDAR_KERNEL_H
#define SDBC_CALENDAR_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct calendar_exception
{
	int32_t		day;
	bool		working;
} calendar_exception;

/*
 * A calendar: exceptions sorted by day, no day twice, and prefix[i] = the
 * net change that exceptions[0..i-1] make to a count of working days
 * (+1 for a working weekend day, -1 for a weekday holiday, 0 otherwise).
 * prefix has n + 1 entries.
 */
typedef struct calendar
{
	const calendar_exception *exceptions;
	int32_t    *prefix;
	int			n;
} calendar;

/* ISO day of week of a day: 1 = Monday … 7 = Sunday. */
int			calendar_isodow(int32_t day);

/* Fill cal->prefix (n + 1 entries, caller-allocated) from cal->exceptions. */
void		calendar_build_prefix(calendar *cal);

/* Whether a day is a working day. */
bool		calendar_is_working(const calendar *cal, int32_t day);

/* Working days in (a, b]: after a, up to and including b; 0 when b <= a. */
int64_t		calendar_working_between(const calendar *cal, int32_t a, int32_t b);

/*
 * The n-th working day after d (d itself when n <= 0), searching no later
 * than last.  Returns false when there is no such day on or before last.
 */
bool		calendar_add_working(const calendar *cal, int32_t d, int32_t n,
								 int32_t last, int32_t *result);

/* Most layers calendar_merge takes: a division and its ancestors (6 levels) and the nation. */
#define CALENDAR_MAX_LAYERS 8

/*
 * Merge layered calendars into one (R14.1: a region's or a county's days
 * override the nation's): layers[0..nlayers-1] each sorted by day with no
 * day twice, the most general first; on a day listed by several layers the
 * last one wins.  Writes the merged exceptions, sorted, into out (room for
 * the sum of counts) and returns how many.
 */
int			calendar_merge(const calendar_exception *const *layers, const int *counts,
						   int nlayers, calendar_exception *out);

#endif
