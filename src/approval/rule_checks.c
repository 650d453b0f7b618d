/*
 * rule_checks.c — rule checks that hold whoever records the data (issue 13,
 * sections 7 and 8).
 *
 *  - SD350 (R7.3): a staff member recorded absent today does not act on a
 *    step himself; his backup (B) acts for him.  The absence is read with the
 *    owner's rights: the caller's row-level security does not hide it.
 *  - The chain anchor: every decision the engine records writes the hash and
 *    the count of the case's decisions into the case (chain_head,
 *    chain_length), with the owner's rights, so that sdbc.verify_chain()
 *    notices decisions removed at the end of the chain.
 *  - SD352/SD353/SD354 (R3.2, R3.3): an expense's amount is positive and not
 *    above policy expense.amount.max; its submitter is a known staff member —
 *    checked before the row reaches the constraints and foreign keys, which
 *    stay as the last line.
 *  - SD355 (R3.2): the payer of an expense is another person than its
 *    submitter (segregation of duties).
 */
#include "sdbc.h"

#include "sqlstates.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"

#include "engine_write.h"
#include "policy_cache.h"
#include "rule_checks.h"
#include "owner_rights.h"
#include "spi_plans.h"

static SavedQuery q_absent = {
	"SELECT lower(during)::text, coalesce(upper(during)::text, '') FROM sdbc.absence "
	"WHERE staff_id = $1 AND during @> CURRENT_DATE ORDER BY lower(during) LIMIT 1",
	1, {INT8OID}, NULL};
static SavedQuery q_anchor = {
	"UPDATE sdbc.approval_case SET chain_head = $2, chain_length = $3 WHERE case_id = $1",
	3, {INT8OID, BYTEAOID, INT4OID}, NULL};
static SavedQuery q_staff = {
	"SELECT 1 FROM sdbc.staff WHERE staff_id = $1", 1, {INT8OID}, NULL};

/* A saved query and what spi_run_as_owner() does with it. */
typedef struct OwnerQuery
{
	SavedQuery *q;
	Datum	   *args;
	bool		write;
	long		limit;
	int			n;
} OwnerQuery;

/* Run one OwnerQuery (called as the owner). */
static void
owner_query_run(void *arg)
{
	OwnerQuery *oq = (OwnerQuery *) arg;

	oq->n = oq->write ? sdbc_spi_engine_write(oq->q, oq->args, NULL, oq->limit)
		: sdbc_spi_run(oq->q, oq->args, NULL, true, oq->limit);
}

/*
 * Run a saved query with the rights of the owner of table relname (inside
 * an SPI connection): row-level security does not filter the owner, and a
 * write is the engine's.
 */
static int
spi_run_as_owner(SavedQuery *q, Datum *args, const char *relname, bool write, long limit)
{
	OwnerQuery	oq = {q, args, write, limit, 0};

	sdbc_as_owner(sdbc_table_owner(relname), owner_query_run, &oq);
	return oq.n;
}

/*
 * Whether actor is recorded absent today (read with the owner's rights);
 * when he is, *from and *until (empty when open-ended) say since and until
 * when, for SD350's message.  Inside SPI.
 */
bool
sdbc_actor_absence(int64 actor, char **from, char **until)
{
	Datum		arg = Int64GetDatum(actor);

	if (spi_run_as_owner(&q_absent, &arg, "absence", false, 1) == 0)
		return false;
	*from = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	*until = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	return true;
}

/* SD350 (R7.3): raise that actor, absent from..until, acts on case_id himself. */
void
sdbc_raise_absent_actor(int64 actor, int64 case_id, const char *from, const char *until)
{
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_ABSENT_ACTOR),
			 errmsg("staff %lld is recorded absent from %s%s%s and cannot act on case %lld himself",
					(long long) actor, from, *until ? sdbc_text(" until before ") : sdbc_text(" (open-ended)"), until,
					(long long) case_id),
			 errdetail("Rule R7.3: while the principal (A) of a post is recorded absent, his backup (B) acts for him; an absent person does not act."),
			 errhint("Let the backup act with acting_for => %lld, or end the absence in sdbc.absence first.",
					 (long long) actor)));
}

void
sdbc_anchor_case(int64 case_id, Datum hash, int64 length)
{
	Datum		args[3];

	/* the SQL of 0.1.0 and 0.2.0, before ALTER EXTENSION sdbc UPDATE, has no anchor */
	if (get_attnum(get_relname_relid("approval_case", get_namespace_oid("sdbc", false)),
				   "chain_head") == InvalidAttrNumber)
		return;
	args[0] = Int64GetDatum(case_id);
	args[1] = hash;
	args[2] = Int32GetDatum((int32) length);
	SPI_connect();
	spi_run_as_owner(&q_anchor, args, "approval_case", true, 0);
	SPI_finish();
}

void
sdbc_check_expense_values(Datum amount, int64 submitted_by, int64 community, DateADT on_date)
{
	Numeric		n = DatumGetNumeric(amount);
	Datum		arg;

	/* NaN is the route kernel's SD327; Infinity is above any maximum */
	if (!numeric_is_nan(n))
	{
		char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, amount));

		if (!numeric_is_inf(n) &&
			!DatumGetBool(DirectFunctionCall2(numeric_gt, amount, NumericGetDatum(int64_to_numeric(0)))))
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_AMOUNT_NOT_POSITIVE),
					 errmsg("an expense of %s yuan is not positive", text),
					 errdetail("Rule R3.2/R3.3: an expense is an amount paid out, in yuan, more than zero."),
					 errhint("Submit the amount as a positive number of yuan with two decimals at most.")));
		else if (sdbc_policy_key_info("expense.amount.max") != NULL)	/* (the SQL of 0.1.0/0.2.0 lacks it) */
		{
			Numeric		max = sdbc_policy_required("expense.amount.max", true, community, on_date);

			if (numeric_is_inf(n) ||
				DatumGetBool(DirectFunctionCall2(numeric_gt, amount, NumericGetDatum(max))))
				ereport(ERROR,
						(errcode(ERRCODE_SDBC_AMOUNT_TOO_LARGE),
						 errmsg("an expense of %s yuan is above the largest amount the engine takes, %s yuan",
								strlen(text) > 40 ? sdbc_text("more than 10^40") : text,
								DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(max)))),
						 errdetail("Rule R3.3 (policy expense.amount.max, a local bound not in the paper): a single community expense above it is a mistake, not an expense."),
						 errhint("Check the amount; the county may raise expense.amount.max in sdbc.policy.")));
		}
	}
	arg = Int64GetDatum(submitted_by);
	if (spi_run_as_owner(&q_staff, &arg, "staff", false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_UNKNOWN_STAFF),
				 errmsg("staff %lld does not exist", (long long) submitted_by),
				 errdetail("Rule R3.2: an expense is submitted by a community handler, a staff member in sdbc.staff."),
				 errhint("Name the submitter by his staff_id in sdbc.staff.")));
}

void
sdbc_refuse_self_payment(int64 expense_id, int64 submitted_by, int64 paid_by)
{
	if (submitted_by == paid_by)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_SELF_PAYMENT),
				 errmsg("staff %lld submitted expense %lld and may not pay it",
						(long long) submitted_by, (long long) expense_id),
				 errdetail("Rule R3.2: segregation of duties — the person who submits an expense does not pay it out."),
				 errhint("Another staff member (the finance office) pays it.")));
}
