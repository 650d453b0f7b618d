/*
 * engine_write.c — the engine's own writes, told apart from a client's.
 *
 * The guards of the tables that change only through the engine (SD316 on
 * sdbc.approval_case, the debit policy of sdbc.account_entry, SD514 on
 * sdbc.staff) used to let a write through at trigger depth > 1, which a
 * client raises with a trigger of its own on a temporary table.  Instead the
 * engine raises a counter of this backend while it writes:
 *   - the C triggers around each statement that writes (sdbc_spi_engine_write);
 *   - the PL/pgSQL engine triggers by running through sdbc.engine_trigger(),
 *     which accepts only tables and functions of the extension's schema.
 * Nothing else sets it; an error unwinds it (PG_FINALLY) and the end of every
 * transaction resets it.
 */
#include "sdbc.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/regproc.h"

#include "engine_write.h"

PG_FUNCTION_INFO_V1(engine_writing);
PG_FUNCTION_INFO_V1(engine_trigger);

/* How many engine writes are running in this backend right now. */
static int	engine_depth = 0;

/* Whether the engine is writing now. */
bool
sdbc_engine_writing(void)
{
	return engine_depth > 0;
}

/* End of a transaction: nothing of the engine is running any more. */
static void
engine_write_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT || event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT)
		engine_depth = 0;
}

/* Called from _PG_init. */
void
sdbc_engine_write_init(void)
{
	RegisterXactCallback(engine_write_xact_callback, NULL);
}

/* Run one of the engine's writing statements, marked as the engine's. */
int
sdbc_spi_engine_write(SavedQuery *q, Datum *values, const char *nulls, long limit)
{
	int			n;

	engine_depth++;
	PG_TRY();
	{
		n = sdbc_spi_run(q, values, nulls, false, limit);
	}
	PG_FINALLY();
	{
		engine_depth--;
	}
	PG_END_TRY();
	return n;
}

/*
 * Lower the flag while code that is not the engine's runs inside it (a
 * county's eligibility predicate); returns what sdbc_engine_resume restores.
 */
int
sdbc_engine_suspend(void)
{
	int			saved = engine_depth;

	engine_depth = 0;
	return saved;
}

/* Raise the flag again after sdbc_engine_suspend. */
void
sdbc_engine_resume(int saved)
{
	engine_depth = saved;
}

/* SQL: true while the engine writes (for row-level security and PL/pgSQL guards). */
Datum
engine_writing(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(sdbc_engine_writing());
}

/* The extension's schema, looked up once per backend. */
static Oid
extension_schema(void)
{
	static Oid	schema = InvalidOid;

	if (!OidIsValid(schema))
		schema = get_namespace_oid("sdbc", false);
	return schema;
}

/*
 * Trigger sdbc.engine_trigger('sdbc.f()'): run the trigger function f, of the
 * extension's schema, with the engine's flag raised.  Only for tables of that
 * schema, on which no one but the extension's owner creates triggers; a
 * trigger on any other table is refused (42501), so that nobody runs the
 * engine's functions on rows of his own.
 */
Datum
engine_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	FmgrInfo   *inner;
	Datum		result;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.engine_trigger: not called by the trigger manager")));
	if (RelationGetNamespace(td->tg_relation) != extension_schema() ||
		td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("sdbc.engine_trigger runs only on the tables of schema sdbc, with one argument"),
				 errdetail("It runs an engine function with the engine's rights to write (docs/security.md)."),
				 errhint("Do not use it in triggers of your own.")));

	/* the inner function, resolved once per trigger per query */
	inner = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	if (inner == NULL)
	{
		Oid			fn = DatumGetObjectId(DirectFunctionCall1(regprocedurein,
															  CStringGetDatum(td->tg_trigger->tgargs[0])));

		if (get_func_namespace(fn) != extension_schema() || get_func_rettype(fn) != TRIGGEROID)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("sdbc.engine_trigger runs only trigger functions of schema sdbc, not %s",
							td->tg_trigger->tgargs[0])));
		inner = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));
		fmgr_info_cxt(fn, inner, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = inner;
	}

	engine_depth++;
	PG_TRY();
	{
		LOCAL_FCINFO(call, 0);

		InitFunctionCallInfoData(*call, inner, 0, InvalidOid, (Node *) td, NULL);
		result = FunctionCallInvoke(call);
		if (call->isnull)
			result = PointerGetDatum(NULL);
	}
	PG_FINALLY();
	{
		engine_depth--;
	}
	PG_END_TRY();
	return result;
}
