/*
 * case_guard.c — BEFORE row trigger on sdbc.approval_case: cases change only
 * through the engine (R3.2, R3.3, R4.2).
 *
 * A case starts when an expense or an application is submitted and moves
 * only by decisions; the engine's triggers write the case and mark their
 * writes (engine_write.c).  Any other write is refused, whatever the trigger
 * depth, unless the role is a superuser (a restore does).  Written in C
 * because it runs on every case insert and update of the engine.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "trigger_guard.h"

#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"

#include "engine_write.h"

PG_FUNCTION_INFO_V1(approval_case_guard);

/* The trigger: refuse a write that is not the engine's, by a non-superuser (SD316). */
Datum
approval_case_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *op;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.approval_case_guard must be a BEFORE row trigger")));
	sdbc_trigger_only_on(td, "approval_case_guard", (const char *const[]) {"approval_case", NULL});
	op = TRIGGER_FIRED_BY_INSERT(td->tg_event) ? "INSERT" :
		TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "UPDATE" : "DELETE";
	if (!sdbc_engine_writing() && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_CASE_WRITE),
				 errmsg("cases are not written directly (%s on sdbc.approval_case)", op),
				 errdetail("Rule R3.2/R4.2: a case starts when an expense or application is submitted and moves only by decisions."),
				 errhint("Use sdbc.submit_expense(), sdbc.apply() and sdbc.decide().")));
	return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple);
}
