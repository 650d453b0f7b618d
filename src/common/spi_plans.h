/*
 * spi_plans.h — saved SPI plans for the C triggers, prepared once per backend,
 * and the one-off snapshot reads of the per-backend caches.
 */
#ifndef SDBC_SPI_PLANS_H
#define SDBC_SPI_PLANS_H

#include "postgres.h"

#include "executor/spi.h"
#include "utils/snapshot.h"

/* A query and its saved plan; declare one static per query. */
typedef struct SavedQuery
{
	const char *sql;
	int			nargs;
	Oid			argtypes[10];
	SPIPlanPtr	plan;
} SavedQuery;

extern int	sdbc_spi_run(SavedQuery *q, Datum *values, const char *nulls, bool read_only,
						 long limit);
extern Datum sdbc_spi_value(int row, int col, bool *isnull);
extern uint64 sdbc_spi_read_with_snapshot(const char *sql, Snapshot snap);

#endif							/* SDBC_SPI_PLANS_H */
