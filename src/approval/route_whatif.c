/*
 * route_whatif.c — the route a case would take by the rules of
 * sdbc.route_rule, for sdbc.expense_route_whatif() (R3.2, R3.3; issue 14
 * §2.4): the same rules (route_cache.c), in the same priority order, tried
 * by the same kernel (route_select in route_select_kernel.c) as the engine
 * when it starts a case, with one policy value replaced by a proposed one.
 */
#include "sdbc.h"

#include "divcode.h"

#include "policy_cache.h"
#include "route_cache.h"
#include "route_select_kernel.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(route_by_rules);

/* Decimal text of a numeric, as the kernel reads it (numeric_out). */
static char *
decimal_text(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

/*
 * sdbc.route_by_rules(case_kind, basis, division, on_date, proposed_key,
 * proposed_value): the route of the first rule of case_kind (matter NULL:
 * expenses) whose test holds for basis, each rule's policy value read for
 * division on on_date — but proposed_value for proposed_key.  NULL when
 * no rule holds, a value a rule needs is missing or not a number, or an
 * argument but the proposal is NULL: a what-if reports, it does not refuse.
 */
Datum
route_by_rules(PG_FUNCTION_ARGS)
{
	const char *kind;
	const char *proposed_key = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	Numeric		proposed = PG_ARGISNULL(5) ? NULL : PG_GETARG_NUMERIC(5);
	const RouteRule *rules;
	route_rule_test *tests;
	const RouteRule **used;
	int			nrules;
	size_t		n = 0,
				index = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	rules = sdbc_route_rules(kind, &nrules);
	tests = palloc0(sizeof(route_rule_test) * (nrules + 1));
	used = palloc0(sizeof(RouteRule *) * (nrules + 1));
	for (int i = 0; i < nrules; i++)
	{
		Numeric		v;

		if (rules[i].matter_code != NULL)
			continue;			/* a service matter's rule: not for a case without matter */
		used[n] = &rules[i];
		if (rules[i].policy_key == NULL)
		{
			tests[n++].test = ROUTE_TEST_ALWAYS;
			continue;
		}
		tests[n].test = strcmp(rules[i].comparison, "<=") == 0 ? ROUTE_TEST_AT_MOST : ROUTE_TEST_ABOVE;
		if (proposed_key != NULL && strcmp(rules[i].policy_key, proposed_key) == 0)
			v = proposed;
		else
			v = sdbc_policy_lookup(rules[i].policy_key, true, PG_GETARG_DIVCODE(2), PG_GETARG_DATEADT(3));
		tests[n++].threshold = v ? decimal_text(v) : NULL;
	}
	if (route_select(decimal_text(PG_GETARG_NUMERIC(1)), tests, n, &index) != ROUTE_SELECTED)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(used[index]->route_code));
}
