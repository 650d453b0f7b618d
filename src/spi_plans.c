/*
 * spi_plans.c — run the triggers' queries through plans saved on first use.
 * The caller has done SPI_connect().
 *
 * The triggers run their reads with read_only = false: at READ COMMITTED each
 * query then takes a new snapshot, so that after a lock wait (the case row,
 * the account row) it sees what the session it waited for committed, and it
 * sees the rows its own statement wrote before (a multi-row INSERT).
 */
#include "sdbc.h"

#include "spi_plans.h"

/* Execute a saved query (preparing it the first time); returns SPI_processed. */
int
sdbc_spi_run(SavedQuery *q, Datum *values, const char *nulls, bool read_only, long limit)
{
	int			rc;

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
	SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);
	int			rc;

	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: could not plan \"%s\": %s", sql,
						SPI_result_code_string(SPI_result))));
	rc = SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot, true, false, 0);
	if (rc != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: query failed (%s): %s", SPI_result_code_string(rc), sql)));
	SPI_freeplan(plan);
	return SPI_processed;
}
