/*
 * working_days.c — sdbc.is_working_day, sdbc.add_working_days and
 * sdbc.working_days_between over a per-backend copy of sdbc.calendar_day:
 * the nation's calendar, or a division's (its ancestors' rows override the
 * nation's on their days, R14.1).
 *
 * Deadlines are counted in working days (R4.2 time limits, R3 approval
 * steps, the 3 days for written reasons), and the overdue views compute one
 * per open case, so the calendar is a table cache (table_cache.c: loaded
 * whole with a fresh snapshot, reloaded after a change commits).  The
 * arithmetic is the kernel's (calendar_kernel.c).
 */
#include "sdbc.h"

#include "calendar_kernel.h"
#include "divcode_kernel.h"
#include "spi_plans.h"
#include "table_cache.h"
#include "working_days.h"

#include "fmgr.h"
#include "utils/lsyscache.h"
#include "utils/date.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(is_working_day_sql);
PG_FUNCTION_INFO_V1(add_working_days_sql);
PG_FUNCTION_INFO_V1(working_days_between_sql);

static void calendar_fill(TableCache *tc, Snapshot snap);

/*
 * The calendar's layers as read: the nation's rows (division NULL) and the
 * rows of each division that has its own (a region's public holidays, a
 * county's), each sorted by day.  A division's calendar merges the layers of
 * the nation and of its ancestors-or-self, the deepest last (R14.1); merged
 * calendars are kept by the deepest layer they use, so every division under
 * the same layers shares one.
 */
typedef struct calendar_layer
{
	int64		division;		/* 0: the nation */
	int			level;			/* divcode level; 0 for the nation */
	calendar_exception *days;
	int			n;
} calendar_layer;

typedef struct merged_calendar
{
	int64		key;			/* division of the deepest layer used; 0: the nation */
	calendar	cal;
} merged_calendar;

static calendar_layer *layers;
static int	n_layers;
static merged_calendar *merged;
static int	n_merged;
static int	merged_room;

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

/*
 * Read sdbc.calendar_day into layers, one per division (the nation's first),
 * sorted by day, in the cache context; merged calendars are built on demand.
 */
static void
calendar_fill(TableCache *tc, Snapshot snap)
{
	uint64		n;
	calendar_exception *rows;

	layers = NULL;
	n_layers = 0;
	merged = NULL;
	n_merged = 0;
	merged_room = 0;
	/* the SQL of a release before 0.3.0 has no division column: all days are the nation's */
	if (get_attnum(tc->relids[0], "division") != InvalidAttrNumber)
		n = sdbc_spi_read_with_snapshot(
			"SELECT coalesce(division::bigint, 0), day, working FROM sdbc.calendar_day "
			"ORDER BY coalesce(division::bigint, 0), day", snap);
	else
		n = sdbc_spi_read_with_snapshot(
			"SELECT 0::bigint, day, working FROM sdbc.calendar_day ORDER BY day", snap);
	if (n > (uint64) (MaxAllocSize / sizeof(calendar_layer) - 1))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sdbc.calendar_day has too many rows to cache (%llu)", (unsigned long long) n)));
	rows = MemoryContextAlloc(tc->context, sizeof(calendar_exception) * (n + 1));
	layers = MemoryContextAlloc(tc->context, sizeof(calendar_layer) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		bool		isnull;
		int64		division = DatumGetInt64(sdbc_spi_value((int) i, 1, &isnull));

		rows[i].day = DatumGetDateADT(sdbc_spi_value((int) i, 2, &isnull));
		rows[i].working = DatumGetBool(sdbc_spi_value((int) i, 3, &isnull));
		if (n_layers == 0 || layers[n_layers - 1].division != division)
		{
			layers[n_layers].division = division;
			layers[n_layers].level = division == 0 ? 0 : divcode_level(division);
			layers[n_layers].days = &rows[i];
			layers[n_layers].n = 0;
			n_layers++;
		}
		layers[n_layers - 1].n++;
	}
}

/*
 * The calendar of a division (0: the nation's): the nation's layer, then the
 * layers of its ancestors-or-self from the highest level down, merged.
 */
static const calendar *
calendar_of(int64 division)
{
	const calendar_exception *use[CALENDAR_MAX_LAYERS];
	int			counts[CALENDAR_MAX_LAYERS];
	int			levels[CALENDAR_MAX_LAYERS];
	int			n_use = 0;
	int			total = 0;
	int64		key = 0;
	merged_calendar *m;
	calendar_exception *days;

	sdbc_table_cache_ensure(&calendar_cache);
	for (int l = 0; l < n_layers && n_use < CALENDAR_MAX_LAYERS; l++)
	{
		const calendar_layer *layer = &layers[l];
		int			at;

		if (layer->division != 0 && (division == 0 || !divcode_contains(layer->division, division)))
			continue;
		/* insertion by level: ancestors have distinct levels */
		for (at = n_use; at > 0 && levels[at - 1] > layer->level; at--)
		{
			use[at] = use[at - 1];
			counts[at] = counts[at - 1];
			levels[at] = levels[at - 1];
		}
		use[at] = layer->days;
		counts[at] = layer->n;
		levels[at] = layer->level;
		n_use++;
		total += layer->n;
		if (layer->division != 0 && (key == 0 || divcode_level(key) < layer->level))
			key = layer->division;
	}
	for (int i = 0; i < n_merged; i++)
		if (merged[i].key == key)
			return &merged[i].cal;
	if (n_merged == merged_room)
	{
		int			room = merged_room == 0 ? 8 : merged_room * 2;
		merged_calendar *grown = MemoryContextAlloc(calendar_cache.context, sizeof(merged_calendar) * room);

		if (n_merged > 0)
			memcpy(grown, merged, sizeof(merged_calendar) * n_merged);
		merged = grown;
		merged_room = room;
	}
	days = MemoryContextAlloc(calendar_cache.context, sizeof(calendar_exception) * (total + 1));
	m = &merged[n_merged];
	m->key = key;
	m->cal.exceptions = days;
	m->cal.n = calendar_merge(use, counts, n_use, days);
	m->cal.prefix = MemoryContextAlloc(calendar_cache.context, sizeof(int32) * (m->cal.n + 1));
	calendar_build_prefix(&m->cal);
	n_merged++;
	return &m->cal;
}

/* The division argument of the SQL functions: a valid code (the type checks it). */
static int64
division_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_NARGS() > argno ? DatumGetInt64(PG_GETARG_DATUM(argno)) : 0;
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

/* SQL: sdbc.is_working_day(date [, division]) → boolean, by the nation's or the division's calendar. */
Datum
is_working_day_sql(PG_FUNCTION_ARGS)
{
	int32		d = finite_day(PG_GETARG_DATEADT(0), "sdbc.is_working_day");

	PG_RETURN_BOOL(calendar_is_working(calendar_of(division_arg(fcinfo, 1)), d));
}

/*
 * The n-th working day after d in a division's calendar (0: the nation's),
 * for C callers (the decision trigger's reasons deadline): the same as
 * sdbc.add_working_days(d, n, division), without going through SQL, so that
 * the library serves the SQL of earlier releases too.
 */
DateADT
sdbc_add_working_days(DateADT d, int32 n, int64 division)
{
	int32		result;

	if (n <= 0)
		return d;
	if (!calendar_add_working(calendar_of(division), finite_day(d, "sdbc.add_working_days"), n,
							  (int32) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE) - 1, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("sdbc.add_working_days: %d working days after the date fall beyond the last date PostgreSQL can store", n)));
	return (DateADT) result;
}

/* SQL: sdbc.add_working_days(date, integer [, division]) → the n-th working day after d. */
Datum
add_working_days_sql(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	int32		result;

	if (n <= 0)
		PG_RETURN_DATEADT(d);
	if (!calendar_add_working(calendar_of(division_arg(fcinfo, 2)), finite_day(d, "sdbc.add_working_days"), n,
							  (int32) (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE) - 1, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("sdbc.add_working_days: %d working days after the date fall beyond the last date PostgreSQL can store", n)));
	PG_RETURN_DATEADT((DateADT) result);
}

/* SQL: sdbc.working_days_between(a date, b date [, division]) → working days in (a, b]. */
Datum
working_days_between_sql(PG_FUNCTION_ARGS)
{
	int32		a = finite_day(PG_GETARG_DATEADT(0), "sdbc.working_days_between");
	int32		b = finite_day(PG_GETARG_DATEADT(1), "sdbc.working_days_between");
	int64		n = calendar_working_between(calendar_of(division_arg(fcinfo, 2)), a, b);

	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sdbc.working_days_between: the count does not fit in an integer")));
	PG_RETURN_INT32((int32) n);
}
