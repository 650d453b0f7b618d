/*
 * table_cache.c — the mechanism behind the per-backend caches of small
 * tables (policy_cache.c, working_days.c, route_cache.c).
 *
 * A statement trigger on each cached table (sdbc.cache_invalidate, sdbc.c),
 * and a row trigger enabled REPLICA for the rows logical replication writes,
 * queue a relcache invalidation of it; every backend's relcache callback
 * then marks the caches over that table stale, and the next use reloads.
 * A TRUNCATE invalidates by itself (a new relfilenode).
 * The reload reads with a fresh snapshot, never the transaction's: a
 * REPEATABLE READ transaction that happens to reload must not cache rows
 * that are already out of date for the transactions after it.  In parallel
 * mode no fresh snapshot may be taken; a cache read there with the
 * transaction's snapshot is dropped when the transaction ends.
 */
#include "sdbc.h"

#include "names.h"

#include "table_cache.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

static TableCache *all_caches = NULL;

/*
 * Relations whose invalidation a row trigger has queued in this transaction
 * (sdbc_table_cache_invalidate_row): the rest of its rows need not queue it
 * again.  Forgotten when the transaction ends and when any subtransaction
 * aborts (its queued messages are discarded with it).
 */
#define TABLE_CACHE_MAX_QUEUED 8
static Oid	queued_relids[TABLE_CACHE_MAX_QUEUED];
static int	nqueued = 0;

/* Relcache callback: caches over the changed table (or all, for InvalidOid) go stale. */
static void
table_cache_relcache_callback(Datum arg, Oid relid)
{
	for (TableCache *tc = all_caches; tc != NULL; tc = tc->next)
	{
		bool		hit = relid == InvalidOid;

		for (int i = 0; i < TABLE_CACHE_MAX_TABLES && !hit; i++)
			hit = OidIsValid(tc->relids[i]) && tc->relids[i] == relid;
		if (hit)
		{
			tc->valid = false;
			tc->invalidations++;
		}
	}
}

/* End of a transaction: drop the caches read with its snapshot. */
static void
table_cache_xact_callback(XactEvent event, void *arg)
{
	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
		event != XACT_EVENT_PREPARE)
		return;
	nqueued = 0;
	for (TableCache *tc = all_caches; tc != NULL; tc = tc->next)
	{
		if (tc->from_transaction_snapshot)
		{
			tc->valid = false;
			tc->from_transaction_snapshot = false;
		}
	}
}

/* A subtransaction aborted: what it queued is gone, so queue again. */
static void
table_cache_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		nqueued = 0;
}

/* Register a cache (static storage) once, from _PG_init. */
void
sdbc_table_cache_register(TableCache *tc)
{
	if (all_caches == NULL)
	{
		CacheRegisterRelcacheCallback(table_cache_relcache_callback, (Datum) 0);
		RegisterXactCallback(table_cache_xact_callback, NULL);
		RegisterSubXactCallback(table_cache_subxact_callback, NULL);
	}
	tc->valid = false;
	tc->next = all_caches;
	all_caches = tc;
}

/*
 * A row trigger saw a row of rel change (a row that logical replication's
 * apply worker, which fires no statement triggers, wrote): queue the relcache
 * invalidation for the other backends once per transaction, not once per
 * row.  The apply worker makes every row a command of its own, and a message
 * per command would each rebuild the worker's relcache entry and be sent at
 * commit (docs/architecture.md, "Caches": twice the apply time for bulk
 * inserts).  This backend's own caches over rel go stale at once, as the
 * per-command message would have made them.
 */
void
sdbc_table_cache_invalidate_row(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);

	for (int i = 0; i < nqueued; i++)
	{
		if (queued_relids[i] == relid)
		{
			table_cache_relcache_callback((Datum) 0, relid);
			return;
		}
	}
	CacheInvalidateRelcache(rel);
	if (nqueued < TABLE_CACHE_MAX_QUEUED)
		queued_relids[nqueued++] = relid;
}

/* Read the cache's tables once, with a fresh snapshot where allowed. */
static void
table_cache_fill(TableCache *tc)
{
	Snapshot	snap;
	Oid			schema = sdbc_schema_oid();

	if (tc->context == NULL)
	{
		tc->context = AllocSetContextCreate(CacheMemoryContext, "sdbc table cache",
											ALLOCSET_SMALL_SIZES);
		MemoryContextSetIdentifier(tc->context, tc->name);
	}
	MemoryContextReset(tc->context);
	for (int i = 0; i < TABLE_CACHE_MAX_TABLES; i++)
		tc->relids[i] = tc->tables[i] ? get_relname_relid(tc->tables[i], schema) : InvalidOid;

	SPI_connect();
	tc->from_transaction_snapshot = IsInParallelMode();
	snap = RegisterSnapshot(tc->from_transaction_snapshot ? GetActiveSnapshot()
							: GetLatestSnapshot());
	tc->fill(tc, snap);
	UnregisterSnapshot(snap);
	SPI_finish();
}

/*
 * Make the cache current.  An invalidation that arrives while we read (the
 * queries take locks, which processes pending messages) forces another read.
 */
void
sdbc_table_cache_ensure(TableCache *tc)
{
	while (!tc->valid)
	{
		uint64		seen = tc->invalidations;

		table_cache_fill(tc);
		if (seen == tc->invalidations)
			tc->valid = true;
	}
}
