/*
 * null_guard.c — required columns and arguments: 23502 instead of reading a
 * NULL datum (issue 13 §1: no statement crashes the server).
 *
 * A BEFORE trigger runs before the NOT NULL constraints are checked, so a
 * row with a NULL in a column the trigger needs (an amount to add up, a
 * verdict to compare, a key to look up) reaches the trigger; read as a
 * pointer, the NULL datum crashes the backend, and read as a number it is 0
 * ("case 0", "staff 0").  Every C entry point reads such values through here.
 */
#include "sdbc.h"

#include "null_guard.h"
#include "names.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "utils/rel.h"

/* The value of column name of t; 23502 naming it when NULL. */
Datum
sdbc_required_column(HeapTuple t, Relation rel, const char *name, const char *rule)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			attno = sdbc_column_number(rel, name, "sdbc");
	bool		isnull;
	Datum		d;

	d = heap_getattr(t, attno, desc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("null value in column \"%s\" of relation \"%s\" violates not-null constraint",
						name, RelationGetRelationName(rel)),
				 errdetail("Rule %s: the %s of a row of sdbc.%s is required; the rules cannot be checked without it.",
						   rule, name, RelationGetRelationName(rel)),
				 errhint("Give a value for %s.", name),
				 errtablecol(rel, attno)));
	return d;
}

/* 23502 naming argument argname of function fname when isnull. */
void
sdbc_required_argument(bool isnull, const char *fname, const char *argname, const char *rule)
{
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("argument %s of %s must not be null", argname, fname),
				 errdetail("Rule %s: %s needs its %s.", rule, fname, argname),
				 errhint("Give a value for %s.", argname)));
}
