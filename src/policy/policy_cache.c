/*
 * policy_cache.c — the values of sdbc.policy, cached per backend (R14.1).
 *
 * Every rule that reads a threshold calls sdbc_policy_lookup(), which must be
 * cheap enough for a per-row trigger.  The whole policy table (it is small)
 * is held sorted in a table cache (table_cache.c: reloaded with a fresh
 * snapshot after any change to sdbc.policy or sdbc.policy_key commits).
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "divcode.h"

#include "divcode_kernel.h"
#include "policy_cache.h"
#include "spi_plans.h"
#include "table_cache.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(policy_value_sql);

/* One cached policy row; division -1 stands for NULL (everywhere). */
typedef struct PolicyRow
{
	char	   *key;
	int64		division;
	DateADT		valid_from;
	Numeric		value;
} PolicyRow;

static void policy_cache_fill(TableCache *tc, Snapshot snap);

static PolicyRow *policy_rows = NULL;
static int	policy_nrows = 0;
static PolicyKeyInfo *policy_keys = NULL;
static int	policy_nkeys = 0;
static TableCache policy_cache = {
	.name = "sdbc policy cache",
	.tables = {"policy", "policy_key"},
	.fill = policy_cache_fill,
};

/* Register the cache; called once from _PG_init. */
void
sdbc_policy_cache_init(void)
{
	sdbc_table_cache_register(&policy_cache);
}

/* Copy a numeric SPI column into the cache context (NULL stays NULL). */
static Numeric
cached_numeric(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull)
		return NULL;
	return DatumGetNumeric(datumCopy(d, false, -1));
}

/* Read both policy tables into the cache context, sorted by key (C order). */
static void
policy_cache_fill(TableCache *tc, Snapshot snap)
{
	MemoryContext old;
	uint64		n;

	policy_rows = NULL;
	policy_keys = NULL;
	policy_nrows = policy_nkeys = 0;

	n = sdbc_spi_read_with_snapshot("SELECT key, rule_id, min_value, max_value FROM sdbc.policy_key "
									"ORDER BY key COLLATE \"C\"", snap);
	old = MemoryContextSwitchTo(tc->context);
	policy_keys = palloc0(sizeof(PolicyKeyInfo) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		policy_keys[i].key = pstrdup(SPI_getvalue(tup, desc, 1));
		policy_keys[i].rule_id = pstrdup(SPI_getvalue(tup, desc, 2));
		policy_keys[i].min_value = cached_numeric(tup, desc, 3);
		policy_keys[i].max_value = cached_numeric(tup, desc, 4);
	}
	policy_nkeys = (int) n;
	MemoryContextSwitchTo(old);

	n = sdbc_spi_read_with_snapshot("SELECT key, division::bigint, valid_from, value FROM sdbc.policy "
							"ORDER BY key COLLATE \"C\", division NULLS FIRST, valid_from", snap);
	old = MemoryContextSwitchTo(tc->context);
	policy_rows = palloc0(sizeof(PolicyRow) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		Datum		d;

		policy_rows[i].key = pstrdup(SPI_getvalue(tup, desc, 1));
		d = SPI_getbinval(tup, desc, 2, &isnull);
		policy_rows[i].division = isnull ? -1 : DatumGetInt64(d);
		policy_rows[i].valid_from = DatumGetDateADT(SPI_getbinval(tup, desc, 3, &isnull));
		policy_rows[i].value = cached_numeric(tup, desc, 4);
	}
	policy_nrows = (int) n;
	MemoryContextSwitchTo(old);
}

/* Make the cache current. */
static void
policy_cache_ensure(void)
{
	sdbc_table_cache_ensure(&policy_cache);
}

/* Cached bounds of a key, or NULL when the key is not in the catalogue. */
const PolicyKeyInfo *
sdbc_policy_key_info(const char *key)
{
	int			lo = 0,
				hi;

	policy_cache_ensure();
	hi = policy_nkeys - 1;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(policy_keys[mid].key, key);

		if (c == 0)
			return &policy_keys[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Order of (key, division) against a cached row. */
static int
row_cmp(const PolicyRow *row, const char *key, int64 division)
{
	int			c = strcmp(row->key, key);

	if (c != 0)
		return c;
	return row->division < division ? -1 : (row->division > division ? 1 : 0);
}

/* Value set exactly at one division (or everywhere, -1) in force on a date. */
static Numeric
value_at(const char *key, int64 division, DateADT on_date)
{
	int			lo = 0,
				hi = policy_nrows;
	Numeric		found = NULL;

	/* first row not below (key, division) */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (row_cmp(&policy_rows[mid], key, division) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < policy_nrows && row_cmp(&policy_rows[lo], key, division) == 0; lo++)
	{
		if (policy_rows[lo].valid_from > on_date)
			break;
		found = policy_rows[lo].value;
	}
	return found;
}

/*
 * The value of key in force for a division on a date: the nearest
 * ancestor-or-self that sets it, latest valid_from on or before the date;
 * then the default for everywhere.  NULL when nothing is in force.  The
 * result points into the cache: copy it before the next lookup.
 */
Numeric
sdbc_policy_lookup(const char *key, bool has_division, int64 division, DateADT on_date)
{
	Numeric		v;

	policy_cache_ensure();
	if (has_division)
	{
		for (int64 d = division; d >= 0; d = divcode_parent(d))
		{
			v = value_at(key, d, on_date);
			if (v != NULL)
				return v;
		}
	}
	return value_at(key, -1, on_date);
}

/* A date as YYYY-MM-DD whatever the DateStyle, for messages. */
static char *
iso_date(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_NOT_FINITE(d))
		return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/* Like sdbc_policy_lookup, but a missing key or value is an error (SD104, SD103). */
Numeric
sdbc_policy_required(const char *key, bool has_division, int64 division, DateADT on_date)
{
	Numeric		v;

	if (sdbc_policy_key_info(key) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_POLICY_UNKNOWN_KEY),
				 errmsg("unknown policy key \"%s\"", key),
				 errdetail("Rule R14.1: every threshold is a key of sdbc.policy_key."),
				 errhint("See SELECT key FROM sdbc.policy_key for the keys that exist.")));
	v = sdbc_policy_lookup(key, has_division, division, on_date);
	if (v == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_POLICY_MISSING),
				 errmsg("no value of policy \"%s\" is in force for division %s on %s",
						key,
						has_division ? divcode_text(division) : sdbc_text("(everywhere)"),
						iso_date(on_date)),
				 errdetail("Rule R14.1: a policy holds from its valid_from date for its division and all below it."),
				 errhint("Insert a row into sdbc.policy for this key, for this division or one above it, with valid_from on or before the date.")));
	return v;
}

/* SQL: sdbc.policy_value(key, division, on_date) → numeric. */
Datum
policy_value_sql(PG_FUNCTION_ARGS)
{
	char	   *key;
	Numeric		v;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	key = text_to_cstring(PG_GETARG_TEXT_PP(0));
	v = sdbc_policy_required(key, !PG_ARGISNULL(1),
							 PG_ARGISNULL(1) ? -1 : PG_GETARG_DIVCODE(1),
							 PG_GETARG_DATEADT(2));
	PG_RETURN_NUMERIC(DatumGetNumeric(datumCopy(NumericGetDatum(v), false, -1)));
}
