/*
 * grid_class.c — SQL glue: sdbc.grid_class_for(...) classes a grid (R7.2)
 * with the thresholds in force for its community.
 */
#include "sdbc.h"

#include "divcode.h"

#include "grid_class_kernel.h"
#include "policy_cache.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(grid_class_for_sql);

/* A required policy value as a double. */
static double
policy_double(const char *key, int64 community, DateADT on_date)
{
	Numeric		v = sdbc_policy_required(key, true, community, on_date);

	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v)));
}

/*
 * grid_class_for(community, households, residents, key_population,
 * floating_population, rental_households, incidents, on_date) → class.
 */
Datum
grid_class_for_sql(PG_FUNCTION_ARGS)
{
	int64		community = PG_GETARG_DIVCODE(0);
	DateADT		on_date = PG_GETARG_DATEADT(7);
	grid_indicators ind;
	grid_class_thresholds t;

	ind.households = PG_GETARG_INT64(1);
	ind.residents = PG_GETARG_INT64(2);
	ind.key_population = PG_GETARG_INT64(3);
	ind.floating_population = PG_GETARG_INT64(4);
	ind.rental_households = PG_GETARG_INT64(5);
	ind.incidents = PG_GETARG_INT64(6);
	if (ind.households < 0 || ind.residents < 0 || ind.key_population < 0 ||
		ind.floating_population < 0 || ind.rental_households < 0 || ind.incidents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid indicators cannot be negative")));
	t.min_incidents = policy_double("grid.class.remediation.min_incidents", community, on_date);
	t.min_key_per_household = policy_double("grid.class.key_attention.min_key_per_household", community, on_date);
	t.min_floating_share = policy_double("grid.class.general_prevention.min_floating_share", community, on_date);
	t.min_rental_share = policy_double("grid.class.general_prevention.min_rental_share", community, on_date);
	PG_RETURN_TEXT_P(cstring_to_text(grid_class_decide(&ind, &t)));
}
