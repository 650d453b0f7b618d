/*
 * expense_check.c — BEFORE INSERT/UPDATE/DELETE trigger on sdbc.expense (R3).
 *
 * Glue around route_select_kernel.c (the route) and src/case_start.c (the
 * case): it locks, loads, asks the kernels and writes.
 *
 * Insert: the account belongs to the expense's community and an earmarked
 * account pays only its purpose (R3.4); expenses of the community to the
 * same payee for the same purpose within the policy window are added up, and
 * one that takes the sum over the limit is flagged and routed by the sum
 * (split expenses); the route is chosen by the rules of sdbc.route_rule
 * against policy (R3.2: up to and including expense.small_limit, R3.3: above);
 * the case and its submission are written.
 * Update: only the payment may be recorded, once, after the route is
 * complete, and the account never goes below zero, even when two sessions
 * pay from it at once (the account row is locked by the debit).
 * Delete: expenses are records; they are withdrawn, not deleted.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "divcode.h"
#include "trigger_guard.h"
#include "names.h"

#include "policy_cache.h"
#include "route_cache.h"
#include "case_start.h"
#include "route_select_kernel.h"
#include "spi_plans.h"
#include "engine_write.h"
#include "login_staff.h"
#include "engine_ids.h"
#include "rule_checks.h"
#include "null_guard.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "miscadmin.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(expense_check);

static SavedQuery q_account = {
	"SELECT community::bigint, kind, purpose FROM sdbc.account WHERE account_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_window = {
	"SELECT coalesce(sum(e.amount), 0) FROM sdbc.expense e JOIN sdbc.approval_case c USING (case_id) "
	"WHERE e.community OPERATOR(sdbc.=) $1::sdbc.divcode AND e.payee = $2 AND e.purpose = $3 "
	"AND e.submitted_on > $4 - $5 AND e.submitted_on <= greatest($4, CURRENT_DATE) AND c.status IN ('open', 'approved')",
	5, {INT8OID, TEXTOID, TEXTOID, DATEOID, INT4OID}, NULL};
static SavedQuery q_case_status = {
	"SELECT status FROM sdbc.approval_case WHERE case_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_lock_account = {
	"UPDATE sdbc.account SET last_paid_at = clock_timestamp() WHERE account_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_balance = {
	"SELECT coalesce(sum(CASE kind WHEN 'credit' THEN amount ELSE -amount END), 0)::numeric(16,2) "
	"FROM sdbc.account_entry WHERE account_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_entry = {
	"INSERT INTO sdbc.account_entry (account_id, kind, amount, expense_id) VALUES ($1, 'debit', $2, $3)",
	3, {INT8OID, NUMERICOID, INT8OID}, NULL};

/* Column number by name. */
static int
col(Relation rel, const char *name)
{
	return sdbc_column_number(rel, name, "sdbc.expense_check");
}

/*
 * The type each column read by value must have (sdbc.expense); a column of
 * another type is refused before it is read (session 4, finding 2).
 * community is sdbc.divcode: a by-value int8.
 */
static void
expect_type(Relation rel, int attno, const char *name)
{
	static const struct
	{
		const char *name;
		Oid			type;
	}			types[] = {
		{"expense_id", INT8OID}, {"account_id", INT8OID}, {"purpose", TEXTOID}, {"payee", TEXTOID},
		{"amount", NUMERICOID}, {"submitted_by", INT8OID}, {"submitted_on", DATEOID},
		{"case_id", INT8OID}, {"route_code", TEXTOID}, {"split_flag", BOOLOID},
		{"paid_at", TIMESTAMPTZOID}, {"paid_by", INT8OID}
	};
	Form_pg_attribute att = TupleDescAttr(RelationGetDescr(rel), attno - 1);

	if (strcmp(name, "community") == 0)
	{
		if (att->attlen == 8 && att->attbyval)
			return;
	}
	else
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(types[i].name, name) == 0 && types[i].type == att->atttypid)
				return;
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("sdbc.expense_check: column \"%s\" has type %s, not the type of sdbc.expense",
					name, format_type_be(att->atttypid))));
}

/* A column of a trigger tuple, by name, of the type sdbc.expense gives it. */
static Datum
get(HeapTuple t, Relation rel, const char *name, bool *isnull)
{
	int			attno = col(rel, name);

	expect_type(rel, attno, name);
	return heap_getattr(t, attno, RelationGetDescr(rel), isnull);
}

/* numeric a > b */
static bool
numeric_greater(Datum a, Datum b)
{
	return DatumGetBool(DirectFunctionCall2(numeric_gt, a, b));
}

/* Text of a numeric, for messages. */
static char *
numeric_text(Datum d)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, d));
}

/*
 * Index of the rule (of nrules, in priority order) that routes an expense
 * of amount yuan by basis (its amount, or the sum of split expenses) in
 * community on a date: the glue of route_select_kernel.c.  Every rule's
 * policy value in force is looked up and passed as decimal text (numeric_out,
 * compared exactly by the kernel); the kernel tries the rules in order, so a
 * missing value raises SD103/SD104 only when its rule is reached (as the
 * earlier rule-by-rule lookup did), SD311 when no rule holds, and SD327 when
 * a value it needs is NaN.
 */
static int
choose_rule(const RouteRule *rules, int nrules, Datum amount, Datum basis, bool split,
			int64 community, DateADT on_date)
{
	route_rule_test *tests = palloc0(sizeof(route_rule_test) * (nrules + 1));
	char	   *basis_text = numeric_text(basis);
	size_t		index = 0;
	route_select_status status;

	for (int i = 0; i < nrules; i++)
	{
		Numeric		v;

		if (rules[i].policy_key == NULL)
		{
			tests[i].test = ROUTE_TEST_ALWAYS;
			continue;
		}
		if (strcmp(rules[i].comparison, "<=") == 0)
			tests[i].test = ROUTE_TEST_AT_MOST;
		else if (strcmp(rules[i].comparison, ">") == 0)
			tests[i].test = ROUTE_TEST_ABOVE;
		else
			ereport(ERROR,	/* cannot happen: constraint route_rule_comparison */
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("sdbc.route_rule: unknown comparison \"%s\"", rules[i].comparison),
					 errdetail("Rule R3.2/R3.3: a route rule compares with <= or >.")));
		v = sdbc_policy_lookup(rules[i].policy_key, true, community, on_date);
		tests[i].threshold = v ? numeric_text(NumericGetDatum(v)) : NULL;
	}

	status = route_select(basis_text, tests, (size_t) nrules, &index);
	switch (status)
	{
		case ROUTE_SELECTED:
			return (int) index;
		case ROUTE_NONE:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NO_ROUTE),
					 errmsg("no route applies to an expense of %s yuan", numeric_text(amount)),
					 errdetail("Rule R3.2/R3.3: every expense takes a route chosen by sdbc.route_rule."),
					 errhint("Add a rule to sdbc.route_rule for case kind expense.")));
			break;
		case ROUTE_NO_THRESHOLD:
			/* raises SD104 or SD103, as the rule-by-rule lookup did */
			(void) sdbc_policy_required(rules[index].policy_key, true, community, on_date);
			ereport(ERROR,	/* cannot happen: the lookup above raised SD103 or SD104 */
					(errcode(ERRCODE_SDBC_POLICY_MISSING),
					 errmsg("policy \"%s\" has no value in force", rules[index].policy_key),
					 errdetail("Rule R14.1: a route rule's policy key needs a value for the community and day."),
					 errhint("Insert a value for the key into sdbc.policy.")));
			break;
		case ROUTE_BAD_THRESHOLD:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOT_A_NUMBER),
					 errmsg("policy \"%s\" in force for community %s is %s: an expense cannot be routed by it",
							rules[index].policy_key, divcode_text(community), tests[index].threshold),
					 errdetail("Rule R3.2/R3.3: route rule %d for expenses compares the amount with this policy value, which is not a number.",
							   (int) index + 1),
					 errhint("Set the key to an amount in yuan in sdbc.policy for this community or a division above it.")));
			break;
		case ROUTE_BAD_AMOUNT:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOT_A_NUMBER),
					 split ? errmsg("an expense cannot be routed by a sum of %s yuan", basis_text)
					 : errmsg("an expense of %s yuan cannot be routed", basis_text),
					 errdetail("Rule R3.2/R3.3: an expense is routed by comparing its amount (or the sum of split expenses) with policy; %s is not an amount.",
							   basis_text),
					 errhint("Submit the amount in yuan, with two decimals at most.")));
			break;
	}
	return -1;					/* not reached */
}

/*
 * The sum the split test adds the new expense to (q_window, with its args),
 * serialised per (community, payee, purpose) so that two sessions submitting
 * at once do not each miss the other's expense (issue 13, section 4: at READ
 * COMMITTED the second waits for the lock, then reads with a new snapshot).
 * At REPEATABLE READ or SERIALIZABLE the transaction's snapshot may be older
 * than the other's commit: the window is read again with the latest
 * snapshot, and a difference is a serialization failure (40001).
 */
static Datum
split_window_sum(int64 community, const char *payee, const char *purpose, Datum *args)
{
	bool		isnull;
	Datum		prior;

	sdbc_split_lock(community, payee ? payee : "", purpose);
	sdbc_spi_run(&q_window, args, NULL, false, 1);
	prior = datumCopy(sdbc_spi_value(0, 1, &isnull), false, -1);
	if (IsolationUsesXactSnapshot())
	{
		Datum		latest;

		if (SPI_execute_snapshot(q_window.plan, args, NULL, GetLatestSnapshot(), InvalidSnapshot,
								 true, false, 1) != SPI_OK_SELECT)
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("sdbc.expense_check: could not read the split window")));
		latest = sdbc_spi_value(0, 1, &isnull);
		if (!DatumGetBool(DirectFunctionCall2(numeric_eq, prior, latest)))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent expense of community %s to \"%s\"",
							divcode_text(community), payee ? payee : ""),
					 errdetail("Rule R3.3: expenses of one community to one payee for one purpose within the window are added up against the limit; one submitted since this transaction's snapshot was taken is not seen by it."),
					 errhint("Retry the transaction.")));
	}
	return prior;
}

/* Payment: the engine records when it was paid, not the client (issue 13, section 3). */
static HeapTuple
engine_paid_at(TriggerData *td)
{
	int			attno = col(td->tg_relation, "paid_at");
	Datum		now = TimestampTzGetDatum(GetCurrentTimestamp());
	bool		isnull = false;

	return heap_modify_tuple_by_cols(td->tg_newtuple, RelationGetDescr(td->tg_relation), 1,
									 &attno, &now, &isnull);
}

/* The fields of a new expense that the insert checks read. */
typedef struct NewExpense
{
	int64		account_id;
	Datum		comm_given;
	bool		comm_null;
	char	   *purpose;
	Datum		payee;
	Datum		amount;
	Datum		submitted_on;
	int64		submitted_by;
} NewExpense;

/* Read the new row; required columns raise 23502 naming the column, never a NULL datum read (issue 13). */
static NewExpense
read_new_expense(HeapTuple t, Relation rel)
{
	NewExpense	e;

	e.account_id = DatumGetInt64(sdbc_required_column(t, rel, "account_id", "R3.4"));
	e.comm_given = get(t, rel, "community", &e.comm_null);
	e.purpose = TextDatumGetCString(sdbc_required_column(t, rel, "purpose", "R3.4"));
	e.payee = sdbc_required_column(t, rel, "payee", "R3.2");
	e.amount = sdbc_required_column(t, rel, "amount", "R3.2/R3.3");
	e.submitted_on = sdbc_required_column(t, rel, "submitted_on", "R3.2");
	e.submitted_by = DatumGetInt64(sdbc_required_column(t, rel, "submitted_by", "R3.2"));
	return e;
}

/*
 * A row that arrives with its case or payment is a restore: true for a
 * superuser (taken as it is), SD325 for anyone else; false for a new expense.
 */
static bool
restored_expense(HeapTuple t, Relation rel)
{
	bool		no_case,
				no_payment;

	(void) get(t, rel, "case_id", &no_case);
	(void) get(t, rel, "paid_at", &no_payment);
	if (no_case && no_payment)
		return false;
	if (superuser())
		return true;
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_EXPENSE_FIXED),
			 errmsg("an expense's case, route and payment are set by the database"),
			 errdetail("Rule R3.2/R3.3: an expense is routed when submitted and paid only after its route."),
			 errhint("Leave case_id, route_code, split_flag, paid_at and paid_by out of the INSERT.")));
	return false;				/* not reached */
}

/*
 * The account the expense is paid from (a foreign-key error when there is
 * none): its community, which must be the expense's (SD326, R3.4), and for
 * an earmarked account its purpose, which must be the expense's (SD321).
 * Returns the community.  Inside SPI.
 */
static int64
check_account(const NewExpense *e, Relation rel, HeapTuple t)
{
	Datum		arg = Int64GetDatum(e->account_id);
	bool		isnull;
	int64		community;
	char	   *kind;
	char	   *acct_purpose;

	if (sdbc_spi_run(&q_account, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("account %lld does not exist", (long long) e->account_id),
				 errhint("Pay from an account of the community in sdbc.account.")));
	community = DatumGetInt64(sdbc_spi_value(0, 1, &isnull));
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	acct_purpose = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	/* the day submitted: today, or back-dated within policy by a role allowed to (SD341-SD343) */
	(void) get(t, rel, "submitted_on", &isnull);
	if (!isnull)
		sdbc_require_day_in_policy(DatumGetDateADT(e->submitted_on), community, RelationGetRelid(rel),
								   "submitted_on", "expense.backdate.max_days", "R3.3");
	/* amount and submitter at the door, before the constraints (SD352-SD354) */
	sdbc_check_expense_values(e->amount, e->submitted_by, community, DatumGetDateADT(e->submitted_on));
	if (!e->comm_null && DatumGetInt64(e->comm_given) != community)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_OTHER_COMMUNITY),
				 errmsg("account %lld belongs to community %s, not %s", (long long) e->account_id,
						divcode_text(community), divcode_text(DatumGetInt64(e->comm_given))),
				 errdetail("Rule R3.4: each community keeps separate accounts; no encroachment on another's funds."),
				 errhint("Pay from an account of community %s.", divcode_text(DatumGetInt64(e->comm_given)))));
	if (strcmp(kind, "earmarked") == 0 && acct_purpose != NULL && strcmp(acct_purpose, e->purpose) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_EARMARK),
				 errmsg("earmarked account %lld pays only \"%s\", not \"%s\"", (long long) e->account_id,
						acct_purpose, e->purpose),
				 errdetail("Rule R3.4: earmarked funds are used only for their purpose (专款专用), never diverted."),
				 errhint("Pay \"%s\" from the working or service funds account.", e->purpose)));
	return community;
}

/*
 * Split expenses (R3.3): the sum of the community's expenses to the same
 * payee for the same purpose within the policy window, with this one; true
 * with *basis set to it when an earlier one exists and the sum is over the
 * small limit.  Inside SPI.
 */
static bool
split_basis(const NewExpense *e, HeapTuple t, Relation rel, int64 community, Datum *basis)
{
	DateADT		day = DatumGetDateADT(e->submitted_on);
	Datum		limit = datumCopy(NumericGetDatum(sdbc_policy_required("expense.small_limit", true,
																	   community, day)), false, -1);
	Numeric		w = sdbc_policy_required("expense.split_window_days", true, community, day);
	Datum		args[5];
	Datum		prior;
	Datum		total;
	bool		payee_null;

	args[0] = Int64GetDatum(community);
	args[1] = e->payee;
	args[2] = CStringGetTextDatum(e->purpose);
	args[3] = e->submitted_on;
	args[4] = Int32GetDatum(DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(w))));
	(void) get(t, rel, "payee", &payee_null);
	prior = split_window_sum(community, payee_null ? NULL : TextDatumGetCString(e->payee), e->purpose, args);
	total = DirectFunctionCall2(numeric_add, prior, e->amount);
	if (numeric_greater(prior, NumericGetDatum(int64_to_numeric(0))) && numeric_greater(total, limit))
	{
		*basis = total;
		return true;
	}
	*basis = e->amount;
	return false;
}

/* Insert: check, flag, route, open the case. */
static HeapTuple
check_insert(TriggerData *td)
{
	Relation	rel = td->tg_relation;
	HeapTuple	t = td->tg_trigtuple;
	NewExpense	e = read_new_expense(t, rel);
	int64		community;
	Datum		basis;
	bool		split;
	char	   *route;
	int64		case_id;
	int			ncol[4];
	Datum		nval[4];
	bool		nnull[4] = {false, false, false, false};
	int			nrules;
	const RouteRule *rules;

	if (restored_expense(t, rel))
		return t;
	/* the id is the identity default's (SD340): no conflict can follow the case opened below */
	sdbc_require_engine_id(rel, t, "expense_id");

	SPI_connect();
	community = check_account(&e, rel, t);
	split = split_basis(&e, t, rel, community, &basis);

	/* the route: the first rule whose test holds (kernel; rules and versions cached) */
	rules = sdbc_route_rules("expense", &nrules);
	route = pstrdup(rules[choose_rule(rules, nrules, e.amount, basis, split, community,
									  DatumGetDateADT(e.submitted_on))].route_code);

	/*
	 * the case and its submission, as every case on the engine starts; its
	 * first step opens on the day of the submission, so that a back-dated
	 * expense's deadlines run from that day (R3.2/R3.3, R8.1)
	 */
	case_id = sdbc_case_start_on("expense", community, route, e.submitted_by, "R3.2/R3.3",
								 "its route", DatumGetDateADT(e.submitted_on));

	ncol[0] = col(rel, "community");
	nval[0] = Int64GetDatum(community);
	ncol[1] = col(rel, "case_id");
	nval[1] = Int64GetDatum(case_id);
	ncol[2] = col(rel, "route_code");
	nval[2] = SPI_datumTransfer(CStringGetTextDatum(route), false, -1);
	ncol[3] = col(rel, "split_flag");
	nval[3] = BoolGetDatum(split);
	SPI_finish();
	return heap_modify_tuple_by_cols(t, RelationGetDescr(rel), 4, ncol, nval, nnull);
}

/* SD325 unless column name is the same in old and new. */
static void
require_unchanged(TriggerData *td, const char *name)
{
	int			attno = col(td->tg_relation, name);
	char	   *a = SPI_getvalue(td->tg_trigtuple, RelationGetDescr(td->tg_relation), attno);
	char	   *b = SPI_getvalue(td->tg_newtuple, RelationGetDescr(td->tg_relation), attno);

	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_EXPENSE_FIXED),
				 errmsg("an expense's %s cannot change after submission", name),
				 errdetail("Rule R3.2/R3.3: what was approved is what is paid; decisions are facts."),
				 errhint("Withdraw or reject it and submit a new expense.")));
}

/* The payer is named (SD328), is the login (SD317/SD318) and is not the submitter (SD351, R3.2). Inside SPI. */
static void
check_payer(TriggerData *td, int64 expense_id)
{
	Relation	rel = td->tg_relation;
	bool		by_null,
				isnull;
	Datum		by = get(td->tg_newtuple, rel, "paid_by", &by_null);

	if (by_null)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_PAYER_MISSING),
				 errmsg("expense %lld is paid without naming who paid it", (long long) expense_id),
				 errdetail("Rules R3.4 and R3.2: a payment is a fact with its author, checked against the login (sdbc.role_staff)."),
				 errhint("Pay with sdbc.pay(expense_id, actor).")));
	sdbc_check_login_is(RelationGetRelid(rel), DatumGetInt64(by), "pay an expense");
	/* segregation of duties: the submitter does not pay (SD351, R3.2) */
	sdbc_refuse_self_payment(expense_id,
							 DatumGetInt64(get(td->tg_trigtuple, rel, "submitted_by", &isnull)),
							 DatumGetInt64(by));
}

/* SD322 unless the expense's case is one the payer sees and it is approved (R3.2/R3.3). Inside SPI. */
static void
require_approved(int64 expense_id, bool case_null, int64 case_id)
{
	Datum		arg = Int64GetDatum(case_id);
	char	   *status;

	/* a case the payer cannot see (row-level security) or none at all: no row */
	if (case_null || sdbc_spi_run(&q_case_status, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_NOT_APPROVED),
				 errmsg("expense %lld cannot be paid: its case %s is not one you can see", (long long) expense_id,
						case_null ? sdbc_text("(none)") : psprintf("%lld", (long long) case_id)),
				 errdetail("Rule R3.2/R3.3: an expense is paid only after every step of its route, on a case of a division the payer serves."),
				 errhint("Pay from a login that serves the expense's community, once its case is approved.")));
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (status == NULL)
		status = "without status";
	if (strcmp(status, "approved") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_NOT_APPROVED),
				 errmsg("expense %lld cannot be paid: its case is %s", (long long) expense_id, status),
				 errdetail("Rule R3.2/R3.3: an expense is paid only after every step of its route (finance office re-review, or the street party working committee's approval)."),
				 errhint("Complete the route first; see sdbc.expense_open.")));
}

/*
 * Debit the account by amount for the expense, never below zero (SD324,
 * R3.4).  The account row is updated first, then its balance read: a
 * concurrent payment from it waits here; at READ COMMITTED it then reads
 * the balance the first payment left (each query takes a new snapshot), at
 * REPEATABLE READ it fails with a serialization error instead of reading a
 * stale one.  Inside SPI.
 */
static void
debit_account(int64 account_id, Datum amount, int64 expense_id)
{
	Datum		args[3];
	bool		isnull;
	Datum		bal;

	args[0] = Int64GetDatum(account_id);
	sdbc_spi_run(&q_lock_account, args, NULL, false, 1);
	sdbc_spi_run(&q_balance, args, NULL, false, 1);
	bal = sdbc_spi_value(0, 1, &isnull);
	/* a NaN entry left by 0.1.0 makes the balance NaN, above every amount */
	if (!isnull && numeric_is_nan(DatumGetNumeric(bal)))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_OVERDRAW),
				 errmsg("account %lld has a balance that is not a number", (long long) account_id),
				 errdetail("Rule R3.4: community funds are not overdrawn; an entry of 0.1.0 that is NaN hides the balance."),
				 errhint("Repair the account's entries as docs/upgrades.md says (constraint account_entry_finite), then pay.")));
	if (numeric_greater(amount, bal))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_OVERDRAW),
				 errmsg("account %lld holds %s yuan, too little to pay %s", (long long) account_id,
						numeric_text(bal), numeric_text(amount)),
				 errdetail("Rule R3.4: community funds are not overdrawn or encroached upon."),
				 errhint("Credit the account first (sdbc.credit), or pay from another account of the community.")));
	args[0] = Int64GetDatum(account_id);
	args[1] = amount;
	args[2] = Int64GetDatum(expense_id);
	sdbc_spi_engine_write(&q_entry, args, NULL, 0);
}

/* Update: only the payment, once, after the route, within the balance. */
static HeapTuple
check_update(TriggerData *td)
{
	Relation	rel = td->tg_relation;
	static const char *const fixed[] = {
		"expense_id", "account_id", "community", "purpose", "payee", "amount", "description",
		"submitted_by", "submitted_on", "case_id", "route_code", "split_flag"
	};
	bool		old_paid_null,
				new_paid_null,
				case_null,
				isnull;
	int64		expense_id,
				account_id,
				case_id;
	Datum		amount;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		require_unchanged(td, fixed[i]);
	(void) get(td->tg_trigtuple, rel, "paid_at", &old_paid_null);
	(void) get(td->tg_newtuple, rel, "paid_at", &new_paid_null);
	expense_id = DatumGetInt64(get(td->tg_trigtuple, rel, "expense_id", &isnull));
	if (!old_paid_null)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_ALREADY_PAID),
				 errmsg("expense %lld is already paid", (long long) expense_id),
				 errdetail("Rule R3.4: an expense is paid once; a payment is a fact and is not changed."),
				 errhint("Nothing to do.")));
	if (new_paid_null)
		return td->tg_newtuple;

	account_id = DatumGetInt64(sdbc_required_column(td->tg_trigtuple, rel, "account_id", "R3.4"));
	case_id = DatumGetInt64(get(td->tg_trigtuple, rel, "case_id", &case_null));
	amount = sdbc_required_column(td->tg_trigtuple, rel, "amount", "R3.4");

	SPI_connect();
	check_payer(td, expense_id);
	require_approved(expense_id, case_null, case_id);
	debit_account(account_id, amount, expense_id);
	SPI_finish();
	return engine_paid_at(td);
}

/* BEFORE INSERT OR UPDATE OR DELETE row trigger on sdbc.expense. */
Datum
expense_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.expense_check must be a BEFORE row trigger")));
	sdbc_trigger_only_on(td, "expense_check", (const char *const[]) {"expense", NULL});
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		return PointerGetDatum(check_insert(td));
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		return PointerGetDatum(check_update(td));
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_EXPENSE_FIXED),
			 errmsg("expenses cannot be deleted"),
			 errdetail("Rule R3.2/R3.3: an expense is a record; it is withdrawn or rejected, never removed."),
			 errhint("Withdraw it (sdbc.withdraw) before anyone acts, or reject it with a reason.")));
	return PointerGetDatum(NULL);
}
