/*
 * decide_api.c — the public API of the approval engine: sdbc.decide,
 * sdbc.sign and sdbc.withdraw (R3.2, R3.3, R4.2, R7.3), as C functions over
 * saved SPI plans (issue 14 section 4).
 *
 * They were PL/pgSQL (decide, with SET search_path) and SQL wrappers around it
 * (sign, withdraw, through the PL/pgSQL sdbc.expense_case): about 52 us of an
 * approval's 279 us.  These do the same statements — read the case's current
 * step, insert the decision (the C trigger decision_check enforces every rule
 * and updates the case), read the case back — through plans prepared once per
 * backend, with the same errors (SQLSTATE, message, detail, hint) and the same
 * result.  They are not SECURITY DEFINER: the queries run with the caller's
 * rights, row security applies (the plan cache re-plans for another role),
 * and they run under the search path pg_catalog, sdbc (spi_plans.c).
 */
#include "sdbc.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "spi_plans.h"

PG_FUNCTION_INFO_V1(sdbc_decide);
PG_FUNCTION_INFO_V1(sdbc_sign);
PG_FUNCTION_INFO_V1(sdbc_withdraw);

/* The case's current step (PL/pgSQL decide's first read). */
static SavedQuery q_case_step = {
	"SELECT x.current_step FROM sdbc.approval_case x WHERE x.case_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL};

/* The decision; decision_check checks it and moves the case on. */
static SavedQuery q_insert = {
	"INSERT INTO sdbc.decision (case_id, step_no, actor, acting_for, verdict, send_back_to, reason)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7)",
	7, {INT8OID, INT4OID, INT8OID, INT8OID, TEXTOID, INT4OID, TEXTOID}, NULL};

/* The case as the decision left it, as one composite value. */
static SavedQuery q_case_row = {
	"SELECT x FROM sdbc.approval_case x WHERE x.case_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL};

/* The case of an expense the caller sees (as sdbc.expense_case). */
static SavedQuery q_expense_case = {
	"SELECT e.case_id FROM sdbc.expense e WHERE e.expense_id OPERATOR(pg_catalog.=) $1",
	1, {INT8OID}, NULL};

/* One argument of the call: its value and whether it is NULL. */
typedef struct Arg
{
	Datum		value;
	bool		isnull;
} Arg;

/* Argument n of the call as an Arg (NULL when the call has fewer). */
static Arg
arg_of(FunctionCallInfo fcinfo, int n)
{
	Arg			a = {(Datum) 0, true};

	if (PG_NARGS() > n && !PG_ARGISNULL(n))
	{
		a.value = PG_GETARG_DATUM(n);
		a.isnull = false;
	}
	return a;
}

/* A text Arg from a C string. */
static Arg
text_arg(const char *s)
{
	Arg			a = {CStringGetTextDatum(s), false};

	return a;
}

/* The SPI nulls character of an Arg. */
static char
nul(Arg a)
{
	return a.isnull ? 'n' : ' ';
}

/*
 * A row of approval_case whose fields are all NULL: what PL/pgSQL decide
 * returned when its last read found no row.
 */
static Datum
null_case_row(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc;
	Datum	   *values;
	bool	   *nulls;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sdbc.decide: the result type is not a row type")));
	tupdesc = BlessTupleDesc(tupdesc);
	values = palloc0(sizeof(Datum) * tupdesc->natts);
	nulls = palloc(sizeof(bool) * tupdesc->natts);
	memset(nulls, true, sizeof(bool) * tupdesc->natts);
	/* copied out of SPI's memory, which SPI_finish frees */
	return PointerGetDatum(SPI_returntuple(heap_form_tuple(tupdesc, values, nulls), tupdesc));
}

/*
 * Record a decision on case_id and return the case afterwards, as PL/pgSQL
 * sdbc.decide did: 23502 for a NULL case, 23503 for a case the caller does not
 * see; the step is 0 for submit and withdraw, else step_no or the current
 * step.  The caller has done SPI_connect().
 */
static Datum
decide(FunctionCallInfo fcinfo, Arg case_id, Arg actor, Arg verdict, Arg reason,
	   Arg send_back_to, Arg acting_for, Arg step_no)
{
	Datum		values[7];
	char		nulls[7];
	Arg			step = step_no;
	bool		isnull;
	Datum		row;

	if (case_id.isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("sdbc.decide: the case_id argument is NULL"),
				 errdetail("Rules R3.2, R3.3, R4.2: a decision is recorded on a case."),
				 errhint("Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).")));
	values[0] = case_id.value;
	nulls[0] = ' ';
	if (sdbc_spi_run(&q_case_step, values, nulls, false, 0) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case %lld does not exist", (long long) DatumGetInt64(case_id.value)),
				 errdetail("A decision is recorded on an existing case (sdbc.approval_case)."),
				 errhint("Take the case_id from the expense (sdbc.expense) or the application (sdbc.service_application).")));
	if (!verdict.isnull && (strcmp(TextDatumGetCString(verdict.value), "submit") == 0 ||
							strcmp(TextDatumGetCString(verdict.value), "withdraw") == 0))
	{
		step.value = Int32GetDatum(0);
		step.isnull = false;
	}
	else if (step.isnull)
	{
		step.value = sdbc_spi_value(0, 1, &step.isnull);
	}
	values[1] = step.value;
	values[2] = actor.value;
	values[3] = acting_for.value;
	values[4] = verdict.value;
	values[5] = send_back_to.value;
	values[6] = reason.value;
	nulls[1] = nul(step);
	nulls[2] = nul(actor);
	nulls[3] = nul(acting_for);
	nulls[4] = nul(verdict);
	nulls[5] = nul(send_back_to);
	nulls[6] = nul(reason);
	sdbc_spi_run(&q_insert, values, nulls, false, 0);
	if (sdbc_spi_run(&q_case_row, values, nulls, false, 0) == 0)
		return null_case_row(fcinfo);
	row = sdbc_spi_value(0, 1, &isnull);
	if (isnull)
		return null_case_row(fcinfo);
	return SPI_datumTransfer(row, false, -1);
}

/*
 * The case of expense expense_id, or 23503 naming the expense when the caller
 * sees none (sdbc.expense_case, issue 13 section 8).  After SPI_connect().
 */
static Arg
expense_case(Arg expense_id)
{
	Datum		values[1];
	char		nulls[1];
	Arg			c;

	values[0] = expense_id.value;
	nulls[0] = nul(expense_id);
	if (sdbc_spi_run(&q_expense_case, values, nulls, false, 0) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("expense %s does not exist",
						expense_id.isnull ? "NULL" :
						psprintf(INT64_FORMAT, DatumGetInt64(expense_id.value))),
				 errdetail("Rule R3.2/R3.3: an expense is signed, withdrawn or paid once it is submitted (sdbc.expense), in a community the login serves."),
				 errhint("Take the expense_id that sdbc.submit_expense() returned.")));
	c.value = sdbc_spi_value(0, 1, &c.isnull);
	return c;
}

/*
 * sdbc.decide(case_id, actor, verdict, reason, send_back_to, acting_for,
 * step_no): act on a step of a case; returns the case.
 */
Datum
sdbc_decide(PG_FUNCTION_ARGS)
{
	Datum		result;

	SPI_connect();
	result = decide(fcinfo, arg_of(fcinfo, 0), arg_of(fcinfo, 1), arg_of(fcinfo, 2),
					arg_of(fcinfo, 3), arg_of(fcinfo, 4), arg_of(fcinfo, 5), arg_of(fcinfo, 6));
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/* sdbc.sign(expense_id, actor, acting_for): approve an expense's current step. */
Datum
sdbc_sign(PG_FUNCTION_ARGS)
{
	Arg			none = {(Datum) 0, true};
	Datum		result;

	SPI_connect();
	result = decide(fcinfo, expense_case(arg_of(fcinfo, 0)), arg_of(fcinfo, 1), text_arg("approve"),
					none, none, arg_of(fcinfo, 2), none);
	SPI_finish();
	PG_RETURN_DATUM(result);
}

/* sdbc.withdraw(expense_id, actor): its submitter withdraws an expense. */
Datum
sdbc_withdraw(PG_FUNCTION_ARGS)
{
	Arg			none = {(Datum) 0, true};
	Datum		result;

	SPI_connect();
	result = decide(fcinfo, expense_case(arg_of(fcinfo, 0)), arg_of(fcinfo, 1), text_arg("withdraw"),
					none, none, none, none);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
