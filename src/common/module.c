/*
 * module.c — module entry point: the magic block and one-time set-up.
 */
#include "sdbc.h"

#include "engine_write.h"
#include "messages.h"
#include "policy_cache.h"
#include "route_cache.h"
#include "table_cache.h"
#include "trigger_guard.h"
#include "working_days.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/inval.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Called once per backend when the library is loaded: register caches. */
void
_PG_init(void)
{
	sdbc_policy_cache_init();
	sdbc_calendar_cache_init();
	sdbc_route_cache_init();
	sdbc_engine_write_init();
	sdbc_messages_init();
}

PG_FUNCTION_INFO_V1(cache_invalidate);

/*
 * Trigger on a table that backends cache (policy, policy keys, calendar,
 * routes): queue a relcache invalidation of it, so that every backend's
 * callback marks its copy stale once the change commits (and this backend's
 * at the end of the command).  Fired per statement by ordinary sessions and
 * per row, through the triggers enabled REPLICA, by logical replication's
 * apply worker and initial copy, which fire no statement triggers there
 * (docs/architecture.md, "Caches"); per row, the invalidation is queued once
 * per transaction (table_cache.c).
 */
Datum
cache_invalidate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.cache_invalidate: not called by the trigger manager")));
	sdbc_trigger_only_on(trigdata, "cache_invalidate",
						 (const char *const[]) {"policy", "policy_key", "calendar_day", "route",
												"route_step", "route_rule", NULL});
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		sdbc_table_cache_invalidate_row(trigdata->tg_relation);
	else
		CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(policy_cache_invalidate);

/*
 * The 0.1.0 name of cache_invalidate: sdbc--0.1.0.sql binds
 * sdbc.policy_cache_invalidate() to this symbol, so that release can still be
 * installed (and then updated) with this library; the update to 0.2.0 drops
 * that SQL function.
 */
Datum
policy_cache_invalidate(PG_FUNCTION_ARGS)
{
	return cache_invalidate(fcinfo);
}
