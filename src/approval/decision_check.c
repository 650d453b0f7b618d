/*
 * decision_check.c — BEFORE INSERT trigger on sdbc.decision: the glue of
 * the approval kernel (src/approval_kernel.c), enforcing the engine's rules
 * whatever the client does (R3.2, R3.3, R4.2, R7.3).
 *
 * The trigger locks the case, reads its state and the chain's head, and
 * asks the kernel what the proposed decision does; the kernel names the
 * facts it still needs (the route version's steps, membership, A/B acting,
 * absence, the round's approvals, the office's size), each loaded here by
 * one query at most, and then returns the case's next state or the rule
 * the decision breaks, raised here with its message.  The row gets its
 * round, the previous decision's hash and its own hash; the case row
 * (locked first) gets its new state.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "divcode.h"
#include "trigger_guard.h"
#include "names.h"

#include "approval_kernel.h"
#include "divcode_kernel.h"
#include "decision_hash.h"
#include "spi_plans.h"
#include "engine_write.h"
#include "login_staff.h"
#include "engine_ids.h"
#include "working_days.h"
#include "rule_checks.h"
#include "null_guard.h"
#include "case_start.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "miscadmin.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(decision_check);

/* A decision being checked: the row's fields, the case, the facts loaded. */
typedef struct Decision
{
	/* the row */
	int64		case_id;
	const char *verdict;
	approval_proposal p;
	/* the case, locked */
	int64		division;
	char	   *route_code;
	int32		route_version;
	char	   *status;
	approval_case c;
	Datum		prev_hash;
	bool		prev_null;
	/* the facts for the kernel, and what the messages name */
	approval_facts f;
	approval_step *steps;
	char	  **offices;		/* office of each step */
	char	   *absent_from;
	char	   *absent_until;
} Decision;

static SavedQuery q_lock_case = {
	"SELECT division::bigint, route_code, route_version, submitted_by, status, current_step, round, "
	"step_started_on, reasons_due_on IS NOT NULL, case_kind = 'expense' "
	"FROM sdbc.approval_case WHERE case_id = $1 FOR UPDATE", 1, {INT8OID}, NULL};
static SavedQuery q_last = {
	"SELECT hash, count(*) OVER (), count(*) FILTER (WHERE verdict <> 'submit') OVER () "
	"FROM sdbc.decision WHERE case_id = $1 ORDER BY decision_id DESC LIMIT 1", 1, {INT8OID}, NULL};
/* Every step of the route version, in order: the step acted on and the next blocking one. */
static SavedQuery q_steps = {
	"SELECT s.step_no, s.office, o.level, s.quorum, s.quorum_n, s.blocking, s.step_kind = 'notice', "
	"coalesce(s.notice_days, 0), coalesce(s.objection_to, 0), coalesce(s.refusal_reasons_days, 0) "
	"FROM sdbc.route_step s "
	"JOIN sdbc.office o USING (office) WHERE s.route_code = $1 AND s.version = $2 ORDER BY s.step_no",
	2, {TEXTOID, INT4OID}, NULL};
static SavedQuery q_member = {
	"SELECT 1 FROM sdbc.office_member WHERE staff_id = $1 AND office = $2 AND division OPERATOR(sdbc.=) $3::sdbc.divcode "
	"AND valid_from <= CURRENT_DATE AND (valid_to IS NULL OR valid_to > CURRENT_DATE)",
	3, {INT8OID, TEXTOID, INT8OID}, NULL};
static SavedQuery q_members = {
	"SELECT count(DISTINCT staff_id) FROM sdbc.office_member WHERE office = $1 AND division OPERATOR(sdbc.=) $2::sdbc.divcode "
	"AND valid_from <= CURRENT_DATE AND (valid_to IS NULL OR valid_to > CURRENT_DATE)",
	2, {TEXTOID, INT8OID}, NULL};
static SavedQuery q_backup = {
	"SELECT 1 FROM sdbc.post p WHERE p.office = $1 AND p.division OPERATOR(sdbc.=) $2::sdbc.divcode AND p.principal = $3 "
	"AND p.backup = $4 AND EXISTS (SELECT 1 FROM sdbc.absence a WHERE a.staff_id = $3 "
	"AND a.during @> CURRENT_DATE)", 4, {TEXTOID, INT8OID, INT8OID, INT8OID}, NULL};
/* The approvals of the case's round: second votes (SD305), second steps (SD355), the quorum. */
static SavedQuery q_votes = {
	"SELECT step_no, actor, acting_for FROM sdbc.decision WHERE case_id = $1 AND round = $2 "
	"AND verdict = 'approve' ORDER BY decision_id", 2, {INT8OID, INT4OID}, NULL};
static SavedQuery q_update_case = {
	"UPDATE sdbc.approval_case SET status = $2, current_step = $3, round = $4, "
	"step_started_on = CASE WHEN current_step <> $3 OR round <> $4 THEN CURRENT_DATE ELSE step_started_on END, "
	"closed_at = CASE WHEN $2 <> 'open' THEN coalesce(closed_at, clock_timestamp()) END, "
	"reasons_due_on = CASE WHEN $5 > 0 THEN $6 WHEN $5 < 0 THEN NULL ELSE reasons_due_on END "
	"WHERE case_id = $1",
	6, {INT8OID, TEXTOID, INT4OID, INT4OID, INT4OID, DATEOID}, NULL};

/* The type of each column of sdbc.decision that the trigger reads. */
static Oid
decision_column_type(const char *name)
{
	static const struct
	{
		const char *name;
		Oid			type;
	}			types[] = {
		{"decision_id", INT8OID}, {"case_id", INT8OID}, {"step_no", INT4OID}, {"round", INT4OID},
		{"actor", INT8OID}, {"acting_for", INT8OID}, {"verdict", TEXTOID}, {"send_back_to", INT4OID},
		{"reason", TEXTOID}, {"decided_at", TIMESTAMPTZOID}, {"prev_hash", BYTEAOID}, {"hash", BYTEAOID}
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].name, name) == 0)
			return types[i].type;
	return InvalidOid;
}

/* A column of the new row, by name; never one of another type (session 4, finding 2). */
static Datum
new_value(TriggerData *td, const char *name, bool *isnull)
{
	int			attno = sdbc_column_number(td->tg_relation, name, "sdbc.decision_check");
	Oid			type;

	type = TupleDescAttr(RelationGetDescr(td->tg_relation), attno - 1)->atttypid;
	if (type != decision_column_type(name))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("sdbc.decision_check: column \"%s\" has type %s, not the type of sdbc.decision",
						name, format_type_be(type))));
	return heap_getattr(td->tg_trigtuple, attno, RelationGetDescr(td->tg_relation), isnull);
}

/* Text of a column of the last SPI result, palloc'd in the caller's context. */
static char *
spi_text(int row, int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
	char	   *copy;

	if (v == NULL)
		return NULL;
	copy = SPI_palloc(strlen(v) + 1);
	strcpy(copy, v);
	return copy;
}

/* An int4 or int8 column of the last SPI result; 0 when NULL. */
static int64
spi_int(int row, int col)
{
	bool		isnull;
	Datum		d = sdbc_spi_value(row, col, &isnull);

	if (isnull)
		return 0;
	return SPI_gettypeid(SPI_tuptable->tupdesc, col) == INT8OID ? DatumGetInt64(d) : DatumGetInt32(d);
}

/* A boolean column of the last SPI result; false when NULL. */
static bool
spi_bool(int row, int col)
{
	bool		isnull;
	Datum		d = sdbc_spi_value(row, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/* Lock the case and read its state and its chain's head; an unknown case is a foreign-key error. */
static void
lock_case(Decision *d)
{
	Datum		arg = Int64GetDatum(d->case_id);

	if (sdbc_spi_run(&q_lock_case, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case %lld does not exist", (long long) d->case_id)));
	d->division = spi_int(0, 1);
	d->route_code = spi_text(0, 2);
	d->route_version = (int32) spi_int(0, 3);
	d->c.submitted_by = spi_int(0, 4);
	d->status = spi_text(0, 5);
	d->c.current_step = (int32) spi_int(0, 6);
	d->c.round = (int32) spi_int(0, 7);
	d->c.step_started_on = (int32) spi_int(0, 8);
	d->c.reasons_due = spi_bool(0, 9);
	d->c.is_expense = spi_bool(0, 10);
	d->c.status = approval_status_of(d->status);
	/* a new snapshot: decisions committed while we waited for the lock count */
	if (sdbc_spi_run(&q_last, &arg, NULL, false, 1) > 0)
	{
		d->prev_hash = SPI_datumTransfer(sdbc_spi_value(0, 1, &d->prev_null), false, -1);
		d->c.n_decisions = spi_int(0, 2);
		d->c.n_acted = spi_int(0, 3);
	}
}

/* The case sdbc_case_start_on() is submitting right now: its state is known, no decision yet. */
static void
fresh_case(Decision *d, const StartedCase *fresh)
{
	d->division = fresh->division;
	d->route_code = pstrdup(fresh->route_code);
	d->route_version = fresh->route_version;
	d->status = "open";
	d->c.status = AK_OPEN;
	d->c.submitted_by = fresh->submitted_by;
	d->c.current_step = fresh->first_step;
	d->c.round = 1;
	d->c.step_started_on = GetSQLCurrentDate();
}

/* The steps of the case's route version (AK_FACT_STEPS). */
static void
load_steps(Decision *d)
{
	Datum		args[2] = {CStringGetTextDatum(d->route_code), Int32GetDatum(d->route_version)};
	int			n = sdbc_spi_run(&q_steps, args, NULL, false, 0);

	d->steps = palloc0(sizeof(approval_step) * Max(n, 1));
	d->offices = palloc0(sizeof(char *) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		char	   *quorum = spi_text(i, 4);

		d->steps[i].step_no = (int32) spi_int(i, 1);
		d->offices[i] = spi_text(i, 2);
		d->steps[i].level = (int32) spi_int(i, 3);
		d->steps[i].quorum = approval_quorum_of(quorum);
		d->steps[i].quorum_n = (int32) spi_int(i, 5);
		d->steps[i].blocking = spi_bool(i, 6);
		d->steps[i].notice = spi_bool(i, 7);
		d->steps[i].notice_days = (int32) spi_int(i, 8);
		d->steps[i].objection_to = (int32) spi_int(i, 9);
		d->steps[i].refusal_reasons_days = (int32) spi_int(i, 10);
	}
	d->f.steps = d->steps;
	d->f.n_steps = n;
}

/* The office of the step acted on (known once the kernel asks about its people). */
static const char *
step_office(const Decision *d)
{
	const approval_step *s = approval_find_step(d->steps, d->f.n_steps, d->p.step_no);

	return s ? d->offices[s - d->steps] : "";
}

/* The approvals of the case's round (AK_FACT_VOTES). */
static void
load_votes(Decision *d)
{
	Datum		args[2] = {Int64GetDatum(d->case_id), Int32GetDatum(d->c.round)};
	int			n = sdbc_spi_run(&q_votes, args, NULL, false, 0);
	approval_vote *v = palloc0(sizeof(approval_vote) * Max(n, 1));

	for (int i = 0; i < n; i++)
	{
		bool		isnull;

		v[i].step_no = (int32) spi_int(i, 1);
		v[i].round = d->c.round;
		v[i].actor = spi_int(i, 2);
		(void) sdbc_spi_value(i, 3, &isnull);
		v[i].has_acting_for = !isnull;
		v[i].acting_for = spi_int(i, 3);
	}
	d->f.votes = v;
	d->f.n_votes = n;
}

/* Load the fact the kernel asks for: one query at most. */
static void
load_fact(Decision *d, unsigned fact)
{
	const approval_step *s = approval_find_step(d->steps, d->f.n_steps, d->p.step_no);
	int64		person = d->p.has_acting_for ? d->p.acting_for : d->p.actor;
	Datum		args[4];

	if (fact != AK_FACT_STEPS && s == NULL)	/* cannot happen: the kernel found the step first */
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg_internal("sdbc.decision_check: the approval kernel asks about the office of a step the route lacks")));
	switch (fact)
	{
		case AK_FACT_STEPS:
			load_steps(d);
			break;
		case AK_FACT_OFFICE_DIV:
			d->f.office_div = divcode_ancestor(d->division, s->level);
			break;
		case AK_FACT_BACKUP:
			args[0] = CStringGetTextDatum(step_office(d));
			args[1] = Int64GetDatum(d->f.office_div);
			args[2] = Int64GetDatum(d->p.acting_for);
			args[3] = Int64GetDatum(d->p.actor);
			d->f.backup_ok = sdbc_spi_run(&q_backup, args, NULL, false, 1) > 0;
			break;
		case AK_FACT_ABSENT:
			d->f.actor_absent = sdbc_actor_absence(d->p.actor, &d->absent_from, &d->absent_until);
			break;
		case AK_FACT_MEMBER:
			args[0] = Int64GetDatum(person);
			args[1] = CStringGetTextDatum(step_office(d));
			args[2] = Int64GetDatum(d->f.office_div);
			d->f.person_member = sdbc_spi_run(&q_member, args, NULL, false, 1) > 0;
			break;
		case AK_FACT_VOTES:
			load_votes(d);
			break;
		case AK_FACT_OFFICE_SIZE:
			args[0] = CStringGetTextDatum(step_office(d));
			args[1] = Int64GetDatum(d->f.office_div);
			sdbc_spi_run(&q_members, args, NULL, false, 1);
			d->f.office_size = spi_int(0, 1);
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg_internal("sdbc.decision_check: the approval kernel asks for unknown fact %u", fact)));
	}
	d->f.loaded |= fact;
}

/* Raise a refusal of the case's state or of the order of steps (SD301, SD302, SD307, SD310, SD313). */
static void
raise_case_violation(const Decision *d, const approval_result *r)
{
	switch (r->violation)
	{
		case AK_V_SUBMIT:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SUBMIT),
					 errmsg("case %lld cannot be submitted now", (long long) d->case_id),
					 errdetail("Rule R3.2/R3.3: a case is submitted once, at step 0, by its submitter, and again only after it was sent back to the applicant."),
					 errhint("Act on the case's current step instead.")));
			break;
		case AK_V_WITHDRAW_CLOSED:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_CASE_CLOSED),
					 errmsg("case %lld is %s", (long long) d->case_id, d->status),
					 errdetail("Rule R3.2/R3.3: only an open case can be withdrawn.")));
			break;
		case AK_V_WITHDRAW:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_WITHDRAW),
					 errmsg("case %lld can no longer be withdrawn by staff %lld",
							(long long) d->case_id, (long long) d->p.actor),
					 errdetail("Rule R3.2/R3.3: the submitter withdraws (撤回) a case before anyone else has acted on it."),
					 errhint("Ask the current step to send it back, or to reject it with a reason.")));
			break;
		case AK_V_NO_REASONS_DUE:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NO_REASONS_DUE),
					 errmsg("case %lld owes no written reasons at step %d", (long long) d->case_id, d->p.step_no),
					 errdetail("Rule R4.2: written reasons follow a refusal at a step that requires them, once."),
					 errhint("Reasons are given on the step that refused (sdbc.approval_case.current_step).")));
			break;
		case AK_V_CLOSED:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_CASE_CLOSED),
					 errmsg("case %lld is %s", (long long) d->case_id, d->status),
					 errdetail("Rule R3.2/R3.3: decisions are taken on open cases only."),
					 errhint("Submit a new case.")));
			break;
		case AK_V_NO_STEP:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_STEP_ORDER),
					 errmsg("route %s version %d has no step %d", d->route_code, d->route_version, d->p.step_no),
					 errdetail("Rule R3.2/R3.3: a case moves through the steps of its route version in order."),
					 errhint("Act on the case's current step (sdbc.approval_case.current_step).")));
			break;
		case AK_V_STEP_NOT_OPEN:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_STEP_ORDER),
					 errmsg("step %d of case %lld is not open; the case is at step %d",
							d->p.step_no, (long long) d->case_id, d->c.current_step),
					 errdetail("Rule R3.2/R3.3: nobody acts on a later step while an earlier one is open."),
					 errhint("Act on step %d.", d->c.current_step)));
			break;
		default:
			break;
	}
}

/* Raise a refusal of the actor (SD303, SD304, SD305, SD306, SD350, SD355). */
static void
raise_actor_violation(const Decision *d, const approval_result *r)
{
	const char *office = step_office(d);

	switch (r->violation)
	{
		case AK_V_NO_OFFICE:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOT_IN_OFFICE),
					 errmsg("the case's division has no %s", office)));
			break;
		case AK_V_ACTING_FOR:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_ACTING_FOR),
					 errmsg("staff %lld may not act for staff %lld on this step",
							(long long) d->p.actor, (long long) d->p.acting_for),
					 errdetail("Rule R7.3: only the named backup (B) of an A/B post acts for its principal (A), and only while A is recorded absent."),
					 errhint("Record A's absence in sdbc.absence, or let A act.")));
			break;
		case AK_V_ABSENT:
			sdbc_raise_absent_actor(d->p.actor, d->case_id, d->absent_from, d->absent_until);
			break;
		case AK_V_NOT_MEMBER:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOT_IN_OFFICE),
					 errmsg("staff %lld is not a member of %s for division %s",
							(long long) r->person, office, divcode_text(d->f.office_div)),
					 errdetail("Rule R3.2/R3.3: only a member of the step's office, for the case's division, acts on the step."),
					 errhint("Add the person to sdbc.office_member, or let a member act.")));
			break;
		case AK_V_FOUR_EYES:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_FOUR_EYES),
					 errmsg("staff %lld submitted case %lld and may not approve it",
							(long long) d->c.submitted_by, (long long) d->case_id),
					 errdetail("Rule R3.2: four eyes — the person who submits a case never approves it."),
					 errhint("Another member of %s acts on this step.", office)));
			break;
		case AK_V_SECOND_VOTE:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SECOND_VOTE),
					 errmsg("staff %lld has already acted on step %d of case %lld",
							(long long) r->person, d->p.step_no, (long long) d->case_id),
					 errdetail("Rule R3.2: one person counts once on a step (\"two or more handlers\" means distinct people)."),
					 errhint("Another member of %s signs.", office)));
			break;
		case AK_V_SECOND_STEP:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SECOND_STEP),
					 errmsg("staff %lld approved step %d of case %lld and may not act on step %d too",
							(long long) r->person, r->other_step, (long long) d->case_id, d->p.step_no),
					 errdetail("Rules R3.2, R3.3: the steps of an expense's route are separate duties: handlers sign, the finance lead sends, the street finance office re-reviews or the street party committee approves; one person acts on one of them."),
					 errhint("Another member of %s acts on this step.", office)));
			break;
		default:
			break;
	}
}

/* Raise a refusal of the decision itself (SD308, SD309, SD314, SD315). */
static void
raise_verdict_violation(const Decision *d, const approval_result *r)
{
	/* what lacks a reason, put into SD308's message (marked for the message catalogue) */
	static const char *const reason_of[] = {
		gettext_noop("a statement of reasons"), gettext_noop("a rejection"),
		gettext_noop("an objection"), gettext_noop("a send-back")
	};

	switch (r->violation)
	{
		case AK_V_REASON_REQUIRED:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_REASON_REQUIRED),
					 errmsg("%s needs a reason", sdbc_text(reason_of[r->reason_kind])),
					 errdetail("Rules R3.2, R3.3, R4.2: a refusal, send-back or objection is recorded with its reason, and a refusal's written reasons are text."),
					 errhint("Give the reason in the reason column.")));
			break;
		case AK_V_NOT_A_NOTICE:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOT_A_NOTICE),
					 errmsg("step %d of case %lld is not a public notice", d->p.step_no, (long long) d->case_id),
					 errdetail("Rule R4.2: objections are raised during a public notice (公示)."),
					 errhint("Send the case back with a reason instead.")));
			break;
		case AK_V_NOTICE_RUNNING:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOTICE_RUNNING),
					 errmsg("the public notice of case %lld runs until %s", (long long) d->case_id,
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(r->notice_until)))),
					 errdetail("Rule R4.2: a public notice lasts its full %d days; an objection meanwhile sends the case back.",
							   r->notice_days),
					 errhint("Close the notice on or after its last day.")));
			break;
		case AK_V_SEND_BACK_TARGET:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SEND_BACK_TARGET),
					 errmsg("a send-back from step %d goes to an earlier step or to the applicant (0)", d->p.step_no),
					 errdetail("Rule R3.2/R3.3: send back (驳回) returns a case to an earlier step or to its applicant."),
					 errhint("Give send_back_to between 0 and %d.", d->p.step_no - 1)));
			break;
		default:
			break;
	}
}

/* Ask the kernel, loading the facts it names, until it decides or refuses (raised). */
static approval_result
decide(Decision *d)
{
	approval_result r;

	while (approval_decide(&d->c, &d->p, &d->f, &r) == AK_NEEDS)
		load_fact(d, r.needs);
	if (r.outcome == AK_REFUSED)
	{
		raise_case_violation(d, &r);
		raise_actor_violation(d, &r);
		raise_verdict_violation(d, &r);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg_internal("sdbc.decision_check: the approval kernel refused with %s, which has no message",
								 r.sqlstate)));
	}
	return r;
}

/* Write the case's new state, when the decision changes it. */
static void
write_case(const Decision *d, const approval_result *r)
{
	static const char *const status_text[] = {"open", "approved", "rejected", "withdrawn"};
	Datum		args[6];

	if (!r->changed)
		return;
	args[0] = Int64GetDatum(d->case_id);
	args[1] = CStringGetTextDatum(r->status == d->c.status || r->status == AK_STATUS_OTHER
								  ? d->status : status_text[r->status]);
	args[2] = Int32GetDatum(r->current_step);
	args[3] = Int32GetDatum(r->round);
	args[4] = Int32GetDatum(r->reasons_days);
	/* the deadline for written reasons, by the calendar of the case's division */
	args[5] = DateADTGetDatum(r->reasons_days > 0
							  ? sdbc_add_working_days(GetSQLCurrentDate(), r->reasons_days, d->division)
							  : GetSQLCurrentDate());
	sdbc_spi_engine_write(&q_update_case, args, NULL, 0);
}

/*
 * A decision that arrives complete (hash set) is a restore (pg_restore of
 * a dump): it is accepted as it is, when the role is a superuser and the row's
 * own hash matches its fields; the case rows were restored in their final
 * state.  sdbc.verify_chain() checks the links afterwards.
 */
static bool
accept_restored_row(TriggerData *td)
{
	bool		isnull,
				n;
	Datum		hash = new_value(td, "hash", &isnull);
	bool		same;

	if (isnull || VARSIZE_ANY_EXHDR(DatumGetPointer(hash)) == 0)
		return false;
	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_CHAIN_BROKEN),
				 errmsg("the hash of a decision is computed by the database"),
				 errdetail("Rule R3.2/R3.3: decisions are chained by the database; only a restore by a superuser brings its own."),
				 errhint("Leave round, prev_hash and hash out of the INSERT.")));
	{
		DecisionLink l;
		Datum		d;

		d = new_value(td, "prev_hash", &n);
		l.prev_hash = n ? NULL : DatumGetByteaPP(d);
		/* required columns: 23502 naming the column, never a NULL datum read (issue 13) */
		l.case_id = DatumGetInt64(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "case_id", "R3.2/R3.3"));
		l.step_no = DatumGetInt32(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "step_no", "R3.2/R3.3"));
		l.round = DatumGetInt32(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "round", "R3.2/R3.3"));
		l.actor = DatumGetInt64(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "actor", "R3.2"));
		l.acting_for = DatumGetInt64(new_value(td, "acting_for", &n));
		l.has_acting_for = !n;
		l.verdict = TextDatumGetCString(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "verdict", "R3.2/R3.3"));
		l.send_back_to = DatumGetInt32(new_value(td, "send_back_to", &n));
		l.has_send_back_to = !n;
		d = new_value(td, "reason", &n);
		l.reason = n ? NULL : DatumGetTextPP(d);
		l.decided_at = DatumGetTimestampTz(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "decided_at", "R3.2/R3.3"));
		same = DatumGetBool(DirectFunctionCall2(byteaeq, PointerGetDatum(sdbc_decision_hash(&l)), hash));
	}
	if (!same)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_CHAIN_BROKEN),
				 errmsg("restored decision %lld does not match its hash",
						(long long) DatumGetInt64(new_value(td, "decision_id", &n))),
				 errdetail("Rule R3.2/R3.3: every decision is chained by a SHA-256 hash; this row was altered."),
				 errhint("Restore from an unaltered dump.")));
	return true;
}

/* The proposed decision from the new row; required columns raise 23502 naming the column (issue 13). */
static void
read_proposal(TriggerData *td, Decision *d)
{
	HeapTuple	t = td->tg_trigtuple;
	Relation	rel = td->tg_relation;
	bool		isnull;

	d->case_id = DatumGetInt64(sdbc_required_column(t, rel, "case_id", "R3.2/R3.3"));
	d->p.step_no = DatumGetInt32(sdbc_required_column(t, rel, "step_no", "R3.2/R3.3"));
	d->p.actor = DatumGetInt64(sdbc_required_column(t, rel, "actor", "R3.2"));
	d->p.acting_for = DatumGetInt64(new_value(td, "acting_for", &isnull));
	d->p.has_acting_for = !isnull;
	d->verdict = TextDatumGetCString(sdbc_required_column(t, rel, "verdict", "R3.2/R3.3"));
	d->p.verdict = approval_verdict_of(d->verdict);
	(void) sdbc_required_column(t, rel, "decided_at", "R3.2/R3.3");
	d->p.send_back_to = DatumGetInt32(new_value(td, "send_back_to", &isnull));
	d->p.has_send_back_to = !isnull;
	(void) new_value(td, "reason", &isnull);
	d->p.has_reason = !isnull;
	d->p.today = GetSQLCurrentDate();
	d->prev_null = true;
}

/* The row's hash: the chain link of its fields, the previous hash and the engine's clock. */
static Datum
row_hash(TriggerData *td, const Decision *d, int32 row_round, TimestampTz decided_at)
{
	DecisionLink l;
	bool		isnull;
	Datum		reason = new_value(td, "reason", &isnull);

	l.prev_hash = d->prev_null ? NULL : DatumGetByteaPP(d->prev_hash);
	l.case_id = d->case_id;
	l.step_no = d->p.step_no;
	l.round = row_round;
	l.actor = d->p.actor;
	l.has_acting_for = d->p.has_acting_for;
	l.acting_for = d->p.acting_for;
	l.verdict = d->verdict;
	l.has_send_back_to = d->p.has_send_back_to;
	l.send_back_to = d->p.send_back_to;
	l.reason = isnull ? NULL : DatumGetTextPP(reason);
	/* when: the engine's clock, whatever the client brought (issue 13, section 3) */
	l.decided_at = decided_at;
	return PointerGetDatum(sdbc_decision_hash(&l));
}

/* BEFORE INSERT row trigger on sdbc.decision: lock, load, decide, write, chain. */
Datum
decision_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Decision	d = {0};
	StartedCase fresh;
	approval_result r;
	TimestampTz decided_at = GetCurrentTimestamp();
	Datum		hash;
	int			cols[4];
	Datum		vals[4];
	bool		vnulls[4] = {false, false, false, false};

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.decision_check must be a BEFORE INSERT row trigger")));
	sdbc_trigger_only_on(td, "decision_check", (const char *const[]) {"decision", NULL});
	if (accept_restored_row(td))
		return PointerGetDatum(td->tg_trigtuple);

	/* the id is the identity default's: no decision placed before another (SD340) */
	sdbc_require_engine_id(td->tg_relation, td->tg_trigtuple, "decision_id");
	read_proposal(td, &d);

	SPI_connect();
	sdbc_check_login_is(RelationGetRelid(td->tg_relation), d.p.actor, "act on a case");
	if (sdbc_case_just_started(d.case_id, &fresh))
		fresh_case(&d, &fresh);
	else
		lock_case(&d);
	r = decide(&d);
	write_case(&d, &r);
	SPI_finish();

	hash = row_hash(td, &d, r.row_round, decided_at);
	/* the chain's anchor in the case: its head and length (issue 13, section 8) */
	sdbc_anchor_case(d.case_id, hash, d.c.n_decisions + 1);

	cols[0] = sdbc_column_number(td->tg_relation, "round", "sdbc.decision_check");
	cols[1] = sdbc_column_number(td->tg_relation, "prev_hash", "sdbc.decision_check");
	cols[2] = sdbc_column_number(td->tg_relation, "hash", "sdbc.decision_check");
	cols[3] = sdbc_column_number(td->tg_relation, "decided_at", "sdbc.decision_check");
	vals[0] = Int32GetDatum(r.row_round);
	vals[1] = d.prev_hash;
	vnulls[1] = d.prev_null;
	vals[2] = hash;
	vals[3] = TimestampTzGetDatum(decided_at);
	return PointerGetDatum(heap_modify_tuple_by_cols(td->tg_trigtuple, RelationGetDescr(td->tg_relation),
													 4, cols, vals, vnulls));
}
