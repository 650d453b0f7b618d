/*
 * route_cache.c — sdbc.route_rule and the latest version of every route
 * (with its first blocking step), cached per backend (table_cache.c).
 *
 * Starting a case chooses its route by the rules (R3.2/R3.3: amount against
 * policy expense.small_limit; R4.2: the service matter a rule names) and fixes the route's latest version; both
 * are small tables read on every insert, so they are held in memory and
 * reloaded after a change to sdbc.route, sdbc.route_step or sdbc.route_rule
 * commits.  Which version and step a case starts at is decided by the kernel
 * (route_start in route_select_kernel.c) when the cache is filled; which rule
 * holds, by route_select in expense_check.c, service_start.c and
 * route_whatif.c.
 */
#include "sdbc.h"

#include "names.h"

#include "route_cache.h"
#include "route_select_kernel.h"
#include "spi_plans.h"
#include "table_cache.h"

#include "executor/spi.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

/* The latest version of one route. */
typedef struct RouteVersion
{
	const char *route_code;
	int32		version;
	int32		first_step;		/* 0: no blocking step */
} RouteVersion;

static void route_cache_fill(TableCache *tc, Snapshot snap);

static RouteRule *rules = NULL;
static int	nrules = 0;
static RouteVersion *versions = NULL;
static int	nversions = 0;
static TableCache route_cache = {
	.name = "sdbc route cache",
	.tables = {"route", "route_step", "route_rule"},
	.fill = route_cache_fill,
};

/* Register the cache; called once from _PG_init. */
void
sdbc_route_cache_init(void)
{
	sdbc_table_cache_register(&route_cache);
}

/* Text of a column of the last SPI result, copied into the cache (NULL stays NULL). */
static const char *
cached_text(uint64 row, int col, MemoryContext cxt)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return v ? MemoryContextStrdup(cxt, v) : NULL;
}

/* Read the rules (by kind and priority) and the routes' latest versions and first blocking steps. */
static void
route_cache_fill(TableCache *tc, Snapshot snap)
{
	uint64		n;

	rules = NULL;
	versions = NULL;
	nrules = nversions = 0;

	/* matter_code: 0.3.0 on (the library still serves 0.1.0's and 0.2.0's tables) */
	n = sdbc_spi_read_with_snapshot(OidIsValid(get_relname_relid("route_rule", sdbc_schema_oid())) &&
									get_attnum(get_relname_relid("route_rule", sdbc_schema_oid()),
											   "matter_code") != InvalidAttrNumber
									? "SELECT case_kind, policy_key, comparison, route_code, matter_code "
									"FROM sdbc.route_rule ORDER BY case_kind, priority"
									: "SELECT case_kind, policy_key, comparison, route_code, NULL::text "
									"FROM sdbc.route_rule ORDER BY case_kind, priority", snap);
	rules = MemoryContextAllocZero(tc->context, sizeof(RouteRule) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		rules[i].case_kind = cached_text(i, 1, tc->context);
		rules[i].policy_key = cached_text(i, 2, tc->context);
		rules[i].comparison = cached_text(i, 3, tc->context);
		rules[i].route_code = cached_text(i, 4, tc->context);
		rules[i].matter_code = cached_text(i, 5, tc->context);
	}
	nrules = (int) n;

	/*
	 * Each route's latest version and first blocking step (kernel
	 * route_start): versions and steps, both ordered by code byte by byte,
	 * merged route by route.
	 */
	{
		uint64		nv,
					ns,
					s = 0;
		char	  **vcode,
				  **scode;
		int32	   *vnum;
		route_step_row *steps;
		int			nroutes = 0;

		nv = sdbc_spi_read_with_snapshot("SELECT route_code, version FROM sdbc.route "
										 "ORDER BY route_code COLLATE \"C\"", snap);
		vcode = palloc(sizeof(char *) * (nv + 1));
		vnum = palloc(sizeof(int32) * (nv + 1));
		for (uint64 i = 0; i < nv; i++)
		{
			bool		isnull;

			vcode[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			vnum[i] = DatumGetInt32(sdbc_spi_value((int) i, 2, &isnull));
		}
		ns = sdbc_spi_read_with_snapshot("SELECT route_code, version, step_no, blocking FROM sdbc.route_step "
										 "ORDER BY route_code COLLATE \"C\"", snap);
		scode = palloc(sizeof(char *) * (ns + 1));
		steps = palloc(sizeof(route_step_row) * (ns + 1));
		for (uint64 i = 0; i < ns; i++)
		{
			bool		isnull;

			scode[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			steps[i].version = DatumGetInt32(sdbc_spi_value((int) i, 2, &isnull));
			steps[i].step_no = DatumGetInt32(sdbc_spi_value((int) i, 3, &isnull));
			steps[i].blocking = DatumGetBool(sdbc_spi_value((int) i, 4, &isnull));
		}

		versions = MemoryContextAllocZero(tc->context, sizeof(RouteVersion) * (nv + 1));
		for (uint64 v = 0; v < nv;)
		{
			uint64		vend = v,
						sfirst;
			RouteVersion *rv = &versions[nroutes];

			while (vend < nv && strcmp(vcode[vend], vcode[v]) == 0)
				vend++;
			while (s < ns && strcmp(scode[s], vcode[v]) < 0)
				s++;			/* steps of no route: the foreign key has none */
			sfirst = s;
			while (s < ns && strcmp(scode[s], vcode[v]) == 0)
				s++;
			rv->route_code = MemoryContextStrdup(tc->context, vcode[v]);
			if (route_start(vnum + v, vend - v, steps + sfirst, s - sfirst,
							&rv->version, &rv->first_step))
				nroutes++;
			v = vend;
		}
		nversions = nroutes;
	}
}

/* The rules of a case kind in priority order; sets *n. Valid until the next call. */
const RouteRule *
sdbc_route_rules(const char *case_kind, int *n)
{
	int			first = -1,
				count = 0;

	sdbc_table_cache_ensure(&route_cache);
	for (int i = 0; i < nrules; i++)
	{
		if (strcmp(rules[i].case_kind, case_kind) == 0)
		{
			if (first < 0)
				first = i;
			count++;
		}
	}
	*n = count;
	return first < 0 ? NULL : &rules[first];
}

/* The latest version of a route and its first blocking step; false when unknown. */
bool
sdbc_route_latest(const char *route_code, int32 *version, int32 *first_step)
{
	sdbc_table_cache_ensure(&route_cache);
	for (int i = 0; i < nversions; i++)
	{
		if (strcmp(versions[i].route_code, route_code) == 0)
		{
			*version = versions[i].version;
			*first_step = versions[i].first_step;
			return true;
		}
	}
	return false;
}
