/*
 * engine_ids.h — what the engine records is the engine's (issue 13, section
 * 3): ids drawn by the identity default of this very insert, days a client
 * names only within policy, and the split test of R3.3 serialised per key.
 */
#ifndef SDBC_ENGINE_IDS_H
#define SDBC_ENGINE_IDS_H

#include "postgres.h"

#include "access/htup.h"
#include "utils/date.h"
#include "utils/rel.h"

extern void sdbc_require_engine_id(Relation rel, HeapTuple tuple, const char *column);
extern void sdbc_require_day_in_policy(DateADT day, int64 division, Oid table,
									   const char *column, const char *policy_key,
									   const char *rule);
/*
 * The one restore check of the engine's triggers: a row that arrives
 * complete (its case, hash or payment already set) is a restore
 * (pg_restore), accepted as it is when the role is a superuser (true);
 * for anyone else it is refused with sqlstate and the caller's texts.
 * False when the row is not complete: the engine checks and completes it.
 */
extern bool sdbc_restore_accepted(bool arrives_complete, int sqlstate, const char *message,
								  const char *detail, const char *hint);
extern void sdbc_split_lock(int64 community, const char *payee, const char *purpose);

#endif							/* SDBC_ENGINE_IDS_H */
