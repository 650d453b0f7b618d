/*
 * service_start.c — BEFORE INSERT trigger on sdbc.service_application
 * (R4.1, R4.2, R8.2): an application starts its case through the same C
 * path as an expense (src/case_start.c, issue 14 §2).
 *
 * The order of the checks is the one the PL/pgSQL trigger had:
 *   1. matter, applicant and taker are named (23502 naming the column);
 *   2. a row that arrives with its case is a restore (sdbc_restore_accepted:
 *      a superuser's is accepted as is, anyone else's is SD325);
 *   3. the checks of the catalogue and the registry — an id the identity
 *      default drew (SD340), the day within policy (SD341-SD343), a known
 *      matter (SD401), the applicant's own community (SD404), its staff
 *      (SD405), every document (SD406), eligibility (SD407) — stay in SQL
 *      (sdbc.service_application_verify): they are queries of the
 *      catalogue and registry with their own texts, not the engine, and
 *      they run with the caller's rights as before;
 *   4. the route: the first rule of sdbc.route_rule for case kind service
 *      that names the matter (or any matter), tried in priority order by the
 *      kernel route_select; when no rule names it, the matter's own
 *      sdbc.service_matter.route_code;
 *   5. the case: latest version, first blocking step, an id the engine
 *      draws, the case row and its submission with the hash chain
 *      (sdbc_case_start_on), the first step opening on the day of
 *      application (R4.2, R8.1).
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "trigger_guard.h"
#include "names.h"

#include "case_start.h"
#include "engine_ids.h"
#include "route_cache.h"
#include "route_select_kernel.h"
#include "spi_plans.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(service_application_start);

/* A column of the new row, by name. */
static Datum
value(TriggerData *td, const char *name, bool *isnull)
{
	return heap_getattr(td->tg_trigtuple, sdbc_column_number(td->tg_relation, name, "sdbc.service_application_start"),
						RelationGetDescr(td->tg_relation), isnull);
}

/* 23502 naming the first of matter, applicant, taker that is NULL (issue 13, section 8). */
static void
require_named(TriggerData *td)
{
	static const char *const names[] = {"matter_code", "applicant", "taken_by"};

	for (int i = 0; i < 3; i++)
	{
		bool		isnull;

		(void) value(td, names[i], &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("null value in column \"%s\" of relation \"service_application\" violates not-null constraint",
							names[i]),
					 errdetail("Rules R4.1, R4.2: an application names its matter, its applicant and the staff member who takes it at the hall."),
					 errhint("Give the resident's id (sdbc.resident) and your own staff id.")));
	}
}

/*
 * The checks of the catalogue and the registry (SQL, caller's rights);
 * returns the matter's own route (sdbc.service_matter.route_code).
 */
static char *
verify(TriggerData *td)
{
	Oid			rowtype = RelationGetForm(td->tg_relation)->reltype;
	Datum		row = heap_copy_tuple_as_datum(td->tg_trigtuple, RelationGetDescr(td->tg_relation));
	char	   *route;

	if (SPI_execute_with_args("SELECT sdbc.service_application_verify($1)", 1, &rowtype, &row,
							  NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc.service_application_start: could not check the application")));
	route = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (route == NULL)
		ereport(ERROR,			/* cannot happen: service_matter.route_code is NOT NULL */
				(errcode(ERRCODE_SDBC_NO_ROUTE),
				 errmsg("service matter has no route"),
				 errdetail("Rule R4.2: every matter is handled on a route of the approval engine.")));
	return route;
}

/*
 * The route of an application for matter: the first rule for case kind
 * service naming the matter or any matter (kernel route_select; service
 * rules have no policy test, sdbc.route_rule's constraint
 * route_rule_service_test), else the matter's own route.
 */
static const char *
service_route(const char *matter, const char *matter_route)
{
	int			nrules;
	const RouteRule *rules = sdbc_route_rules("service", &nrules);
	route_rule_test *tests = palloc0(sizeof(route_rule_test) * (nrules + 1));
	const RouteRule **mine = palloc0(sizeof(RouteRule *) * (nrules + 1));
	size_t		n = 0,
				index = 0;

	for (int i = 0; i < nrules; i++)
	{
		if (rules[i].matter_code != NULL && strcmp(rules[i].matter_code, matter) != 0)
			continue;
		if (rules[i].policy_key != NULL)
			ereport(ERROR,	/* cannot happen: constraint route_rule_service_test */
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("sdbc.route_rule: a rule for service matter %s has a policy test", matter),
					 errdetail("Rule R4.2: a service matter's rule names its route, without a test.")));
		tests[n].test = ROUTE_TEST_ALWAYS;
		mine[n++] = &rules[i];
	}
	if (route_select(NULL, tests, n, &index) == ROUTE_SELECTED)
		return pstrdup(mine[index]->route_code);
	return matter_route;
}

/* Trigger sdbc.service_application_start(): check, route, start the case. */
Datum
service_application_start(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	bool		isnull;
	char	   *matter;
	const char *route;
	int64		community,
				taken_by,
				case_id;
	DateADT		applied_on;
	int			attno;
	Datum		case_datum;
	bool		case_null = false;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.service_application_start must be a BEFORE INSERT row trigger")));
	sdbc_trigger_only_on(td, "service_application_start",
						 (const char *const[]) {"service_application", NULL});
	require_named(td);
	(void) value(td, "case_id", &isnull);
	if (sdbc_restore_accepted(!isnull, ERRCODE_SDBC_EXPENSE_FIXED,
							  "an application's case is set by the database",
							  "Rule R4.2: an application starts its case on the matter's route when it is taken.",
							  "Leave case_id out of the INSERT."))
		return PointerGetDatum(td->tg_trigtuple);

	SPI_connect();
	route = verify(td);
	matter = TextDatumGetCString(value(td, "matter_code", &isnull));
	community = DatumGetInt64(value(td, "community", &isnull));
	if (isnull)
		ereport(ERROR,			/* sdbc.service_application_verify refused it (SD404, SD405) */
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("null value in column \"community\" of relation \"service_application\" violates not-null constraint"),
				 errdetail("Rule R4.1: a resident applies at the service hall of his own community.")));
	taken_by = DatumGetInt64(value(td, "taken_by", &isnull));
	applied_on = DatumGetDateADT(value(td, "applied_on", &isnull));
	if (isnull)
		applied_on = GetSQLCurrentDate();
	route = service_route(matter, route);

	/* the case and its submission, as every case on the engine starts */
	case_id = sdbc_case_start_on("service", community, route, taken_by, "R4.2",
								 "its matter's route", applied_on);
	SPI_finish();

	attno = sdbc_column_number(td->tg_relation, "case_id", "sdbc.service_application_start");
	case_datum = Int64GetDatum(case_id);
	return PointerGetDatum(heap_modify_tuple_by_cols(td->tg_trigtuple, RelationGetDescr(td->tg_relation),
													 1, &attno, &case_datum, &case_null));
}
