/*
 * policy_guard.c — row trigger keeping sdbc.policy and sdbc.policy_key sound.
 *
 *  - Built-in rows (the paper's defaults) belong to the extension: they are
 *    recreated by CREATE EXTENSION and left out of dumps, so a user edit of
 *    one would be lost silently on restore.  They are read-only; a user
 *    overrides them with rows of their own (R14.1).
 *  - A policy value stays within the bounds its key declares.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "trigger_guard.h"
#include "names.h"

#include "policy_cache.h"
#include "null_guard.h"

#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(policy_guard);

/* Value of a named column of a trigger tuple (NULL sets *isnull). */
static Datum
column_value(HeapTuple tup, Relation rel, const char *name, bool *isnull)
{
	int			attno = sdbc_column_number(rel, name, "sdbc.policy_guard");

	return heap_getattr(tup, attno, RelationGetDescr(rel), isnull);
}

/* True when the tuple's builtin column is true. */
static bool
is_builtin(HeapTuple tup, Relation rel)
{
	bool		isnull;
	Datum		d = column_value(tup, rel, "builtin", &isnull);

	return !isnull && DatumGetBool(d);
}

/* SD102 unless value lies within the key's [min_value, max_value]. */
static void
check_value_bounds(HeapTuple tup, Relation rel)
{
	char	   *key;
	Datum		value;
	const PolicyKeyInfo *info;
	bool		below = false,
				above = false;

	/* 23502 naming the column, never a NULL datum read (issue 13) */
	key = TextDatumGetCString(sdbc_required_column(tup, rel, "key", "R14.1"));
	value = sdbc_required_column(tup, rel, "value", "R14.1");
	info = sdbc_policy_key_info(key);
	if (info == NULL)
		return;					/* the foreign key reports it */
	if (info->min_value)
		below = DatumGetBool(DirectFunctionCall2(numeric_lt, value,
												 NumericGetDatum(info->min_value)));
	if (info->max_value)
		above = DatumGetBool(DirectFunctionCall2(numeric_gt, value,
												 NumericGetDatum(info->max_value)));
	if (below || above)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_POLICY_OUT_OF_RANGE),
				 errmsg("policy value %s is out of range for key \"%s\"",
						DatumGetCString(DirectFunctionCall1(numeric_out, value)), key),
				 errdetail("Rule %s (parameterised under R14.1): the key allows values from %s to %s.",
						   info->rule_id,
						   info->min_value ? DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(info->min_value))) : "-infinity",
						   info->max_value ? DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(info->max_value))) : "infinity"),
				 errhint("Give a value within the bounds in sdbc.policy_key.")));
}

/* SD101: a built-in row was about to be written by someone other than the extension. */
static void
refuse_builtin(Relation rel, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_POLICY_READONLY),
			 errmsg("cannot %s built-in rows of %s", what, RelationGetRelationName(rel)),
			 errdetail("Rule R14.1: built-in rows carry the paper's defaults; CREATE EXTENSION recreates them and dumps leave them out."),
			 errhint("Override instead: insert a row of your own for the same key with a later valid_from, or for a county, street or community.")));
}

/* BEFORE ROW trigger on sdbc.policy and sdbc.policy_key. */
Datum
policy_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	bool		is_policy;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		(!TRIGGER_FIRED_FOR_ROW(td->tg_event) && !TRIGGER_FIRED_BY_TRUNCATE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.policy_guard must be a BEFORE ROW or BEFORE TRUNCATE trigger")));
	sdbc_trigger_only_on(td, "policy_guard", (const char *const[]) {"policy", "policy_key", NULL});
	rel = td->tg_relation;
	is_policy = strcmp(RelationGetRelationName(rel), "policy") == 0;

	/* TRUNCATE skips row triggers, so it would take the built-in rows too. */
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		if (!creating_extension)
			refuse_builtin(rel, "truncate");
		return PointerGetDatum(NULL);
	}

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		if (!creating_extension && is_builtin(td->tg_trigtuple, rel))
			refuse_builtin(rel, "delete");
		return PointerGetDatum(td->tg_trigtuple);
	}
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		if (!creating_extension &&
			(is_builtin(td->tg_trigtuple, rel) || is_builtin(td->tg_newtuple, rel)))
			refuse_builtin(rel, "update");
		if (is_policy)
			check_value_bounds(td->tg_newtuple, rel);
		return PointerGetDatum(td->tg_newtuple);
	}
	/* INSERT */
	if (!creating_extension && is_builtin(td->tg_trigtuple, rel))
		refuse_builtin(rel, "insert");
	if (is_policy)
		check_value_bounds(td->tg_trigtuple, rel);
	return PointerGetDatum(td->tg_trigtuple);
}
