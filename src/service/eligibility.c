/*
 * eligibility.c — sdbc.eligibility_holds(fn, resident): call a matter's
 * eligibility predicate (R4.2) by its OID.
 *
 * The catalogue names each matter's predicate as a regprocedure, so the
 * application trigger would otherwise build and plan a dynamic query for
 * every application.  Here the function is looked up once per calling
 * expression (cached in fn_extra, keyed by OID) and called directly, after
 * the checks a call by name gets (the caller may execute it) and those that
 * let this function be STABLE and PARALLEL RESTRICTED: the predicate takes
 * one bigint, returns boolean, is not VOLATILE and not PARALLEL UNSAFE.
 */
#include "sdbc.h"

#include "engine_write.h"

#include "catalog/objectaccess.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(eligibility_holds);

/* The predicate last called from this expression. */
typedef struct PredicateCache
{
	Oid			fn;
	FmgrInfo	flinfo;
} PredicateCache;

/* Refuse a function that is not (resident_id bigint) → boolean, or not executable. */
static void
check_predicate(Oid fn)
{
	Oid		   *argtypes;
	int			nargs;
	Oid			rettype = get_func_signature(fn, &argtypes, &nargs);

	if (rettype != BOOLOID || nargs != 1 || argtypes[0] != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("eligibility function %s is not (resident_id bigint) → boolean",
						format_procedure(fn)),
				 errdetail("Rule R4.2: a matter's eligibility is a predicate of the applicant."),
				 errhint("Point sdbc.service_matter.eligibility at a function taking the resident's id and returning boolean.")));
	if (func_volatile(fn) == PROVOLATILE_VOLATILE || func_parallel(fn) == PROPARALLEL_UNSAFE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("eligibility function %s must be STABLE (or IMMUTABLE) and not PARALLEL UNSAFE",
						format_procedure(fn)),
				 errdetail("Rule R4.2: eligibility reads the registry and changes nothing."),
				 errhint("ALTER FUNCTION %s STABLE PARALLEL SAFE;", format_procedure(fn))));
	if (pg_proc_aclcheck(fn, GetUserId(), ACL_EXECUTE) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_FUNCTION, get_func_name(fn));
	InvokeFunctionExecuteHook(fn);
}

/* SQL: sdbc.eligibility_holds(fn regprocedure, resident_id bigint) → boolean. */
Datum
eligibility_holds(PG_FUNCTION_ARGS)
{
	Oid			fn = PG_GETARG_OID(0);
	int64		resident = PG_GETARG_INT64(1);
	PredicateCache *cache = (PredicateCache *) fcinfo->flinfo->fn_extra;
	LOCAL_FCINFO(call, 1);
	volatile Datum result = (Datum) 0;

	if (cache == NULL || cache->fn != fn)
	{
		if (!SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(fn)))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("eligibility function with OID %u does not exist", fn)));
		check_predicate(fn);
		if (cache == NULL)
			cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PredicateCache));
		fmgr_info_cxt(fn, &cache->flinfo, fcinfo->flinfo->fn_mcxt);
		cache->fn = fn;
		fcinfo->flinfo->fn_extra = cache;
	}
	InitFunctionCallInfoData(*call, &cache->flinfo, 1, InvalidOid, NULL, NULL);
	call->args[0].value = Int64GetDatum(resident);
	call->args[0].isnull = false;
	/* the predicate is the county's code, not the engine's: it runs with the engine's flag down */
	{
		int			saved = sdbc_engine_suspend();

		PG_TRY();
		{
			result = FunctionCallInvoke(call);
		}
		PG_FINALLY();
		{
			sdbc_engine_resume(saved);
		}
		PG_END_TRY();
	}
	PG_RETURN_BOOL(!call->isnull && DatumGetBool(result));
}
