/*
 * route_cache.h — route rules and the latest version of each route, cached
 * per backend for the triggers that start cases.
 */
#ifndef SDBC_ROUTE_CACHE_H
#define SDBC_ROUTE_CACHE_H

#include "postgres.h"

/*
 * A row of sdbc.route_rule; policy_key and comparison are NULL for "always";
 * matter_code is the service matter a rule is for (NULL: any matter, and
 * always NULL for expenses and before 0.3.0, which had no such column).
 */
typedef struct RouteRule
{
	const char *case_kind;
	const char *matter_code;
	const char *policy_key;
	const char *comparison;
	const char *route_code;
} RouteRule;

extern void sdbc_route_cache_init(void);

/* The rules of a case kind in priority order; sets *n. Valid until the next call. */
extern const RouteRule *sdbc_route_rules(const char *case_kind, int *n);

/*
 * The latest version of a route and its first blocking step (0 when it has
 * none).  False when the route does not exist.
 */
extern bool sdbc_route_latest(const char *route_code, int32 *version, int32 *first_step);

#endif							/* SDBC_ROUTE_CACHE_H */
