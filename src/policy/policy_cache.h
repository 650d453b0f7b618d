/*
 * policy_cache.h — per-backend cache of sdbc.policy and sdbc.policy_key.
 */
#ifndef SDBC_POLICY_CACHE_H
#define SDBC_POLICY_CACHE_H

#include "postgres.h"

#include "utils/date.h"
#include "utils/numeric.h"

/* Bounds and rule of a policy key, as cached. */
typedef struct PolicyKeyInfo
{
	const char *key;
	const char *rule_id;
	Numeric		min_value;		/* NULL when unbounded */
	Numeric		max_value;		/* NULL when unbounded */
} PolicyKeyInfo;

/* Register the cache; called once from _PG_init (module.c). */
extern void sdbc_policy_cache_init(void);

extern const PolicyKeyInfo *sdbc_policy_key_info(const char *key);
extern Numeric sdbc_policy_lookup(const char *key, bool has_division,
								  int64 division, DateADT on_date);
extern Numeric sdbc_policy_required(const char *key, bool has_division,
									int64 division, DateADT on_date);

#endif							/* SDBC_POLICY_CACHE_H */
