/*
 * working_days.c — sdbc.is_working_day, sdbc.add_working_days and
 * sdbc.working_days_between over a per-backend copy of sdbc.calendar_day.
 *
 * Deadlines are counted in working days (R4.2 time limits, R3 approval
 * steps, the 3 days for written reasons), and the overdue views compute one
 * per open case, so the calendar is cached like the policy table
 * (policy_cache.c): loaded whole with a fresh snapshot, marked stale by the
 * relcache callback that the statement trigger sdbc.cache_invalidate fires
 * on every change, dropped at the end of a transaction that had to read it
 * with the transaction's own snapshot (parallel mode).  The arithmetic is
 * the kernel's (calendar_kernel.c).
 */
#include "sdbc.h"

#include "calendar_kernel.h"
#include "spi_plans.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(is_working_day_sql);
PG_FUNCTION_INFO_V1(add_working_days_sql);
PG_FUNCTION_INFO_V1(working_days_between_sql);

static MemoryContext calendar_context = NULL;
static calendar cached_calendar;
static bool calendar_valid = false;
static bool calendar_from_transaction_snapshot = false;
static uint64 calendar_invalidations = 0;
static Oid	calendar_relid = InvalidOid;

/* Relcache callback: a change to sdbc.calendar_day makes the copy stale. */
static void
calendar_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == calendar_relid)
	{
		calendar_valid = false;
		calendar_invalidations++;
	}
}

/* End of a transaction: drop a copy read with that transaction's snapshot. */
static void
calendar_xact_callback(XactEvent event, void *arg)
{
	if (calendar_from_transaction_snapshot &&
		(event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		 event == XACT_EVENT_PREPARE))
	{
		calendar_valid = false;
		calendar_from_transaction_snapshot = false;
	}
}

/* Register the invalidation callbacks; called once from _PG_init. */
void
sdbc_calendar_cache_init(void)
{
	CacheRegisterRelcacheCallback(calendar_relcache_callback, (Datum) 0);
	RegisterXactCallback(calendar_xact_callback, NULL);
}

/* Read sdbc.calendar_day, sorted by day, into the cache context. */
static void
calendar_fill(void)
{
	Snapshot	snap;
	MemoryContext old;
	calendar_exception *rows;
	uint64		n;

	if (calendar_context == NULL)
		calendar_context = AllocSetContextCreate(CacheMemoryContext, "sdbc calendar cache",
												 ALLOCSET_SMALL_SIZES);
	MemoryContextReset(calendar_context);
	cached_calendar.exceptions = NULL;
	cached_calendar.prefix = NULL;
	cached_calendar.n = 0;
	calendar_relid = get_relname_relid("calendar_day", sdbc_schema_oid());

	SPI_connect();
	calendar_from_transaction_snapshot = IsInParallelMode();
	snap = RegisterSnapshot(calendar_from_transaction_snapshot ? GetActiveSnapshot()
							: GetLatestSnapshot());
	n = sdbc_spi_read_with_snapshot("SELECT day, working FROM sdbc.calendar_day ORDER BY day", snap);
	if (n > (uint64) (MaxAllocSize / sizeof(calendar_exception) - 1))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sdbc.calendar_day has too many rows to cache (%llu)", (unsigned long long) n)));
	old = MemoryContextSwitchTo(calendar_context);
	rows = palloc(sizeof(calendar_exception) * (n + 1));
	cached_calendar.prefix = palloc(sizeof(int32) * (n + 1));
	MemoryContextSwitchTo(old);
	for (uint64 i = 0; i < n; i++)
	{
		bool		isnull;

		rows[i].day = DatumGetDateADT(sdbc_spi_value((int) i, 1, &isnull));
		rows[i].working = DatumGetBool(sdbc_spi_value((int) i, 2, &isnull));
	}
	cached_calendar.exceptions = rows;
	cached_calendar.n = (int) n;
	calendar_build_prefix(&cached_calendar);
	UnregisterSnapshot(snap);
	SPI_finish();
}

/* The current calendar; re-read while invalidations arrive during the read. */
static const calendar *
calendar_current(void)
{
	while (!calendar_valid)
	{
		uint64		seen = calendar_invalidations;

		calendar_fill();
		if (seen == calendar_invalidations)
			calendar_valid = true;
	}
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
