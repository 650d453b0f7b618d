/*
 * spi_plans.c — run the triggers' queries through plans saved on first use.
 * The caller has done SPI_connect().
 *
 * The triggers run their reads with read_only = false: at READ COMMITTED each
 * query then takes a new snapshot, so that after a lock wait (the case row,
 * the account row) it sees what the session it waited for committed, and it
 * sees the rows its own statement wrote before (a multi-row INSERT).
 *
 * Every query runs under the search path pg_catalog, sdbc (no temporary
 * schema, no public), whatever the caller's: the operators, functions and
 * types of the queries (=, count, @> …) are then PostgreSQL's and the
 * extension's, not ones a user created in a schema he put first — nor one
 * with an exact signature in a schema after pg_catalog, which would win over
 * pg_catalog's polymorphic one (docs/security.md).  While it is pushed, it is
 * also the path of the triggers our statements fire (an override search path
 * wins over their SET search_path); none of those needs another schema.
 */
#include "sdbc.h"

#include "catalog/namespace.h"
#include "utils/memutils.h"

#include "spi_plans.h"

/* Make the search path pg_catalog, sdbc until sdbc_search_path_pop. */
static void
sdbc_search_path_push(void)
{
	static OverrideSearchPath *path = NULL;
	static Oid	sdbc_schema = InvalidOid;
	Oid			now = get_namespace_oid("sdbc", false);

	/* built once per backend, again if the extension was made anew */
	if (path == NULL || now != sdbc_schema)
	{
		OverrideSearchPath *p = MemoryContextAllocZero(TopMemoryContext, sizeof(OverrideSearchPath));
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		p->schemas = list_make1_oid(now);
		MemoryContextSwitchTo(old);
		p->addCatalog = true;	/* pg_catalog first */
		p->addTemp = false;
		if (path != NULL)
		{
			list_free(path->schemas);
			pfree(path);
		}
		path = p;
		sdbc_schema = now;
	}
	PushOverrideSearchPath(path);
}

/* Back to the caller's search path (an error pops it at transaction abort). */
static void
sdbc_search_path_pop(void)
{
	PopOverrideSearchPath();
}

/* Execute a saved query (preparing it the first time); returns SPI_processed. */
int
sdbc_spi_run(SavedQuery *q, Datum *values, const char *nulls, bool read_only, long limit)
{
	int			rc;

	sdbc_search_path_push();
	if (q->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(q->sql, q->nargs, q->argtypes);

		if (plan == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("sdbc: could not plan \"%s\": %s", q->sql,
							SPI_result_code_string(SPI_result))));
		SPI_keepplan(plan);
		q->plan = plan;
	}
	rc = SPI_execute_plan(q->plan, values, nulls, read_only, limit);
	sdbc_search_path_pop();
	if (rc < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: query failed (%s): %s", SPI_result_code_string(rc), q->sql)));
	return (int) SPI_processed;
}

/* A column (1-based) of a row of the last result. */
Datum
sdbc_spi_value(int row, int col, bool *isnull)
{
	/* never past the rows or columns the query returned (session 4, finding 2) */
	if (SPI_tuptable == NULL || row < 0 || (uint64) row >= SPI_processed ||
		col < 1 || col > SPI_tuptable->tupdesc->natts)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: row %d, column %d of a query result that has %llu rows", row, col,
						(unsigned long long) (SPI_tuptable == NULL ? 0 : SPI_processed))));
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

/*
 * Run a read-only query (no parameters, not saved) with the given snapshot;
 * returns the row count.  The caches (policy, calendar) read their tables
 * this way, with a fresh snapshot rather than the transaction's.
 */
uint64
sdbc_spi_read_with_snapshot(const char *sql, Snapshot snap)
{
	SPIPlanPtr	plan;
	int			rc;

	sdbc_search_path_push();
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: could not plan \"%s\": %s", sql,
						SPI_result_code_string(SPI_result))));
	rc = SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot, true, false, 0);
	sdbc_search_path_pop();
	if (rc != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: query failed (%s): %s", SPI_result_code_string(rc), sql)));
	SPI_freeplan(plan);
	return SPI_processed;
}
