/*
 * working_days.c — sdbc.is_working_day, sdbc.add_working_days and
 * sdbc.working_days_between over a per-backend copy of sdbc.calendar_day.
 *
 * Deadlines are counted in working days (R4.2 time limits, R3 approval
 * steps, the 3 days for written reasons), and the overdue views compute one
 * per open case, so the calendar is a table cache (table_cache.c: loaded
 * whole with a fresh snapshot, reloaded after a change commits).  The
 * arithmetic is the kernel's (calendar_kernel.c).
 */
#include "sdbc.h"

#include "calendar_kernel.h"
#include "spi_plans.h"
#include "table_cache.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(is_working_day_sql);
PG_FUNCTION_INFO_V1(add_working_days_sql);
PG_FUNCTION_INFO_V1(working_days_between_sql);

static void calendar_fill(TableCache *tc, Snapshot snap);

static calendar cached_calendar;
static TableCache calendar_cache = {
	.name = "sdbc calendar cache",
	.tables = {"calendar_day"},
	.fill = calendar_fill,
};

/* Register the cache; called once from _PG_init. */
void
sdbc_calendar_cache_init(void)
{
	sdbc_table_cache_register(&calendar_cache);
}

/* Read sdbc.calendar_day, sorted by day, into the cache context. */
static void
calendar_fill(TableCache *tc, Snapshot snap)
{
	calendar_exception *rows;
	uint64		n;

	cached_calendar.exceptions = NULL;
	cached_calendar.prefix = NULL;
	cached_calendar.n = 0;
	n = sdbc_spi_read_with_snapshot("SELECT day, working FROM sdbc.calendar_day ORDER BY day", snap);
	if (n > (uint64) (MaxAllocSize / sizeof(calendar_exception) - 1))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sdbc.calendar_day has too many rows to cache (%llu)", (unsigned long long) n)));
	rows = MemoryContextAlloc(tc->context, sizeof(calendar_exception) * (n + 1));
	cached_calendar.prefix = MemoryContextAlloc(tc->context, sizeof(int32) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		bool		isnull;

		rows[i].day = DatumGetDateADT(sdbc_spi_value((int) i, 1, &isnull));
		rows[i].working = DatumGetBool(sdbc_spi_value((int) i, 2, &isnull));
	}
	cached_calendar.exceptions = rows;
	cached_calendar.n = (int) n;
	calendar_build_prefix(&cached_calendar);
}

/* The current calendar. */
static const calendar *
calendar_current(void)
{
	sdbc_table_cache_ensure(&calendar_cache);
	return &cached_calendar;
}

/* Days of the calendar cover every finite date (infinite ones are refused). */
static int32
finite_day(DateADT d, const char *fn)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the date must be finite", fn),
				 errhint("Working days are counted between calendar days; infinity has none.")));
	return (int32) d;
}

/* SQL: sdbc.is_working_day(date) → boolean. */
Datum
is_working_day_sql(PG_FUNCTION_ARGS)
{
	int32		d = finite_day(PG_GETARG_DATEADT(0), "sdbc.is_working_day");

	PG_RETURN_BOOL(calendar_is_working(calendar_current(), d));
}

/* SQL: sdbc.add_working_days(date, integer) → the n-th working day after d. */
Datum
add_working_days_sql(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	int32		result;

	if (n <= 0)
		PG_RETURN_DATEADT(d);
	if (!calendar_add_working(calendar_current(), finite_day(d, "sdbc.add_working_days"), n,
							  (int32) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE) - 1, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("sdbc.add_working_days: %d working days after the date fall beyond the last date PostgreSQL can store", n)));
	PG_RETURN_DATEADT((DateADT) result);
}

/* SQL: sdbc.working_days_between(a date, b date) → working days in (a, b]. */
Datum
working_days_between_sql(PG_FUNCTION_ARGS)
{
	int32		a = finite_day(PG_GETARG_DATEADT(0), "sdbc.working_days_between");
	int32		b = finite_day(PG_GETARG_DATEADT(1), "sdbc.working_days_between");
	int64		n = calendar_working_between(calendar_current(), a, b);

	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sdbc.working_days_between: the count does not fit in an integer")));
	PG_RETURN_INT32((int32) n);
}
