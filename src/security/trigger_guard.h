/*
 * trigger_guard.h — a C trigger function fires only on its own tables
 * (src/security/trigger_guard.c; SD380).
 */
#ifndef SDBC_TRIGGER_GUARD_H
#define SDBC_TRIGGER_GUARD_H

#include "postgres.h"

struct TriggerData;

/* SD380 unless the trigger's table is one of tables (NULL-ended) of schema sdbc. */
extern void sdbc_trigger_only_on(struct TriggerData *td, const char *function,
								 const char *const *tables);

#endif							/* SDBC_TRIGGER_GUARD_H */
