/*
 * divcode.c — the SQL type sdbc.divcode: input/output, casts, navigation.
 *
 * Glue only: every rule about what a code is lives in divcode_kernel.c.
 * Comparison, hashing and sort support reuse core's int8 functions (the
 * representation is the 12-digit integer), declared in sql/10_divcode.sql.
 */
#include "sdbc.h"

#include "divcode.h"

#include "divcode_kernel.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(divcode_in);
PG_FUNCTION_INFO_V1(divcode_out);
PG_FUNCTION_INFO_V1(divcode_recv);
PG_FUNCTION_INFO_V1(divcode_send);
PG_FUNCTION_INFO_V1(divcode_from_bigint);
PG_FUNCTION_INFO_V1(divcode_level_sql);
PG_FUNCTION_INFO_V1(divcode_parent_sql);
PG_FUNCTION_INFO_V1(divcode_ancestor_sql);
PG_FUNCTION_INFO_V1(divcode_kind_sql);
PG_FUNCTION_INFO_V1(divcode_short_sql);
PG_FUNCTION_INFO_V1(divcode_subtree_last_sql);
PG_FUNCTION_INFO_V1(divcode_contains_sql);
PG_FUNCTION_INFO_V1(divcode_contained_by_sql);

/* Raise the core-style 22P02 error for a rejected code. */
static void
report_bad_code(const char *shown, divcode_status st, int bad_segment)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "divcode", shown),
			 errdetail_internal(dgettext(TEXTDOMAIN, divcode_status_text(st)),
								dgettext(TEXTDOMAIN, divcode_segment_name(bad_segment))),
			 errhint("Write the 12-digit statistical division code (统计用区划代码), "
					 "or its 2-, 4-, 6- or 9-digit prefix, e.g. '652901' or '652901001000'.")));
}

/* Text input: 2, 4, 6, 9 or 12 digits. */
Datum
divcode_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64_t		code = 0;
	int			bad = 0;
	divcode_status st = divcode_parse(str, strlen(str), &code, &bad);

	if (st != DIVCODE_OK)
		report_bad_code(str, st, bad);
	PG_RETURN_DIVCODE(code);
}

/* The canonical text of a code, palloc'd, for messages. */
char *
divcode_text(int64 code)
{
	char	   *buf = palloc(DIVCODE_TEXT_SIZE);

	divcode_format(code, buf);
	return buf;
}

/* Text output: always the canonical 12-digit form. */
Datum
divcode_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(divcode_text(PG_GETARG_DIVCODE(0)));
}

/* Check a 12-digit integer arriving from outside (binary input, casts). */
static int64
checked_code(int64 value)
{
	int			bad = 0;
	divcode_status st = divcode_check(value, &bad);

	if (st != DIVCODE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("integer %lld is not a valid division code", (long long) value),
				 errdetail_internal(dgettext(TEXTDOMAIN, divcode_status_text(st)),
									dgettext(TEXTDOMAIN, divcode_segment_name(bad))),
				 errhint("The integer form is the full 12-digit code, e.g. 652901000000 for Aksu city.")));
	return value;
}

/* Binary input: the 12-digit value as int8, checked like text input. */
Datum
divcode_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_DIVCODE(checked_code(pq_getmsgint64(buf)));
}

/* Binary output: the 12-digit value as int8. */
Datum
divcode_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, PG_GETARG_DIVCODE(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Cast bigint -> divcode: the value must be a valid 12-digit code. */
Datum
divcode_from_bigint(PG_FUNCTION_ARGS)
{
	PG_RETURN_DIVCODE(checked_code(PG_GETARG_INT64(0)));
}

/* divcode_level(code): 1 province, 2 prefecture, 3 county, 4 township, 5 village. */
Datum
divcode_level_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(divcode_level(PG_GETARG_DIVCODE(0)));
}

/* divcode_parent(code): the level above; NULL for a province. */
Datum
divcode_parent_sql(PG_FUNCTION_ARGS)
{
	int64		parent = divcode_parent(PG_GETARG_DIVCODE(0));

	if (parent < 0)
		PG_RETURN_NULL();
	PG_RETURN_DIVCODE(parent);
}

/* divcode_ancestor(code, level): ancestor-or-self at level; NULL if none. */
Datum
divcode_ancestor_sql(PG_FUNCTION_ARGS)
{
	int64		code = PG_GETARG_DIVCODE(0);
	int32		level = PG_GETARG_INT32(1);
	int64		anc;

	if (level < DIVCODE_LEVEL_PROVINCE || level > DIVCODE_LEVEL_VILLAGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("division level %d is out of range", level),
				 errhint("Levels run from 1 (province) to 5 (village or community).")));
	anc = divcode_ancestor(code, level);
	if (anc < 0)
		PG_RETURN_NULL();
	PG_RETURN_DIVCODE(anc);
}

/* divcode_kind(code): street, town, residents_committee, … (see sdbc.division_kind). */
Datum
divcode_kind_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(
		divcode_kind_name(divcode_kind_of(PG_GETARG_DIVCODE(0)))));
}

/* divcode_short(code): the shortest form naming the same division. */
Datum
divcode_short_sql(PG_FUNCTION_ARGS)
{
	char		buf[DIVCODE_TEXT_SIZE];

	divcode_format_short(PG_GETARG_DIVCODE(0), buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

/* divcode_subtree_last(code): the highest code of code's subtree. */
Datum
divcode_subtree_last_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_DIVCODE(divcode_subtree_last(PG_GETARG_DIVCODE(0)));
}

/* a @> b: a is b or one of b's ancestors. */
Datum
divcode_contains_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(divcode_contains(PG_GETARG_DIVCODE(0), PG_GETARG_DIVCODE(1)));
}

/* a <@ b: a is b or one of b's descendants. */
Datum
divcode_contained_by_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(divcode_contains(PG_GETARG_DIVCODE(1), PG_GETARG_DIVCODE(0)));
}
