/*
 * table_cache.h — per-backend copies of small tables that C code reads on
 * every row (policy, calendar, routes), kept current by relcache
 * invalidation.
 */
#ifndef SDBC_TABLE_CACHE_H
#define SDBC_TABLE_CACHE_H

#include "postgres.h"

#include "utils/rel.h"
#include "utils/snapshot.h"

#define TABLE_CACHE_MAX_TABLES 4

typedef struct TableCache TableCache;

/*
 * One cache.  fill() reads the tables with the given snapshot (SPI is
 * connected) and keeps what it needs in tc->context, which is reset before
 * every fill.
 */
struct TableCache
{
	const char *name;			/* for the memory context */
	const char *tables[TABLE_CACHE_MAX_TABLES]; /* in schema sdbc; NULL-padded */
	void		(*fill) (TableCache *tc, Snapshot snap);
	/* state, kept by table_cache.c */
	MemoryContext context;
	Oid			relids[TABLE_CACHE_MAX_TABLES];
	bool		valid;
	bool		from_transaction_snapshot;	/* read in parallel mode */
	uint64		invalidations;
	TableCache *next;
};

/* Register a cache (static storage) once, from _PG_init. */
extern void sdbc_table_cache_register(TableCache *tc);

/*
 * A row trigger saw a row of rel change: queue the relcache invalidation
 * once per transaction (other backends) and mark this backend's caches over
 * rel stale.
 */
extern void sdbc_table_cache_invalidate_row(Relation rel);

/* Make the cache current: refill it if a change to its tables made it stale. */
extern void sdbc_table_cache_ensure(TableCache *tc);

#endif							/* SDBC_TABLE_CACHE_H */
