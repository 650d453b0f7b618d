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
