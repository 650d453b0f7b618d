/*
 * decision_check.c — BEFORE INSERT trigger on sdbc.decision: the approval
 * engine's rules, enforced whatever the client does (R3.2, R3.3, R7.3).
 *
 *  - a case is submitted once by its submitter (or resubmitted after a
 *    send-back to the applicant), and withdrawn only by the submitter before
 *    anyone else has acted;
 *  - a blocking step acts only when it is the case's current step; a
 *    non-blocking one once the route has reached it;
 *  - only a member of the step's office, for the case's division at the
 *    office's level, acts — or the named backup (B) of that member's A/B
 *    post while the principal (A) is recorded absent, written "B acting for A";
 *  - the submitter never approves (four eyes); one person counts once on a
 *    step in a round;
 *  - reject and send back need a reason; send back goes to an earlier step
 *    or to the applicant (0) and starts a new round;
 *  - when a step's quorum is reached the case moves to the next blocking
 *    step, and after the last one it is approved.
 * The row gets its round, the previous decision's hash and its own hash; the
 * case row (locked first) gets its new state.
 */
#include "sdbc.h"

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

/* The case, as locked for this decision. */
typedef struct CaseState
{
	int64		division;
	char	   *route_code;
	int32		route_version;
	int64		submitted_by;
	char	   *status;
	int32		current_step;
	int32		round;
	DateADT		step_started_on;
	bool		reasons_due;	/* written reasons still owed after a refusal */
} CaseState;

/* The step acted on. */
typedef struct StepDef
{
	char	   *office;
	int32		level;
	char	   *quorum;
	int32		quorum_n;
	bool		blocking;
	bool		notice;			/* a public notice window */
	int32		notice_days;
	int32		objection_to;
	int32		refusal_reasons_days;	/* 0 when none are required */
} StepDef;

static SavedQuery q_lock_case = {
	"SELECT division::bigint, route_code, route_version, submitted_by, status, current_step, round, "
	"step_started_on, reasons_due_on IS NOT NULL "
	"FROM sdbc.approval_case WHERE case_id = $1 FOR UPDATE", 1, {INT8OID}, NULL};
static SavedQuery q_last = {
	"SELECT hash, count(*) OVER (), count(*) FILTER (WHERE verdict <> 'submit') OVER () "
	"FROM sdbc.decision WHERE case_id = $1 ORDER BY decision_id DESC LIMIT 1", 1, {INT8OID}, NULL};
static SavedQuery q_step = {
	"SELECT s.office, o.level, s.quorum, s.quorum_n, s.blocking, s.step_kind = 'notice', "
	"coalesce(s.notice_days, 0), coalesce(s.objection_to, 0), coalesce(s.refusal_reasons_days, 0) "
	"FROM sdbc.route_step s "
	"JOIN sdbc.office o USING (office) WHERE s.route_code = $1 AND s.version = $2 AND s.step_no = $3",
	3, {TEXTOID, INT4OID, INT4OID}, NULL};
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
static SavedQuery q_voted = {
	"SELECT 1 FROM sdbc.decision WHERE case_id = $1 AND step_no = $2 AND round = $3 "
	"AND verdict = 'approve' AND (actor = $4 OR coalesce(acting_for, actor) = $5 "
	"OR actor = $5 OR coalesce(acting_for, actor) = $4)",
	5, {INT8OID, INT4OID, INT4OID, INT8OID, INT8OID}, NULL};
/* Another step of the same expense this person has approved in the round (SD355). */
static SavedQuery q_other_step = {
	"SELECT d.step_no FROM sdbc.decision d JOIN sdbc.approval_case c ON c.case_id = d.case_id "
	"WHERE d.case_id = $1 AND d.round = $3 AND d.step_no <> $2 AND d.step_no > 0 AND d.verdict = 'approve' "
	"AND c.case_kind = 'expense' AND (d.actor = $4 OR coalesce(d.acting_for, d.actor) = $5 "
	"OR d.actor = $5 OR coalesce(d.acting_for, d.actor) = $4) LIMIT 1",
	5, {INT8OID, INT4OID, INT4OID, INT8OID, INT8OID}, NULL};
static SavedQuery q_votes = {
	"SELECT count(DISTINCT coalesce(acting_for, actor)) FROM sdbc.decision WHERE case_id = $1 "
	"AND step_no = $2 AND round = $3 AND verdict = 'approve'", 3, {INT8OID, INT4OID, INT4OID}, NULL};
static SavedQuery q_next_step = {
	"SELECT min(step_no) FROM sdbc.route_step WHERE route_code = $1 AND version = $2 "
	"AND step_no > $3 AND blocking", 3, {TEXTOID, INT4OID, INT4OID}, NULL};
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
	int			attno = SPI_fnumber(RelationGetDescr(td->tg_relation), name);
	Oid			type;

	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("sdbc.decision_check: no column \"%s\"", name)));
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

/* Lock the case and read its state; an unknown case is a foreign-key error. */
static CaseState
lock_case(int64 case_id)
{
	Datum		arg = Int64GetDatum(case_id);
	CaseState	c;
	bool		isnull;

	if (sdbc_spi_run(&q_lock_case, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("case %lld does not exist", (long long) case_id)));
	c.division = DatumGetInt64(sdbc_spi_value(0, 1, &isnull));
	c.route_code = spi_text(0, 2);
	c.route_version = DatumGetInt32(sdbc_spi_value(0, 3, &isnull));
	c.submitted_by = DatumGetInt64(sdbc_spi_value(0, 4, &isnull));
	c.status = spi_text(0, 5);
	c.current_step = DatumGetInt32(sdbc_spi_value(0, 6, &isnull));
	c.round = DatumGetInt32(sdbc_spi_value(0, 7, &isnull));
	c.step_started_on = DatumGetDateADT(sdbc_spi_value(0, 8, &isnull));
	c.reasons_due = DatumGetBool(sdbc_spi_value(0, 9, &isnull));
	return c;
}

/* The definition of step_no of the case's route version, or an SD302 error. */
static StepDef
load_step(const CaseState *c, int32 step_no)
{
	Datum		args[3] = {CStringGetTextDatum(c->route_code), Int32GetDatum(c->route_version),
	Int32GetDatum(step_no)};
	StepDef		s;
	bool		isnull;

	if (sdbc_spi_run(&q_step, args, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_STEP_ORDER),
				 errmsg("route %s version %d has no step %d", c->route_code, c->route_version, step_no),
				 errdetail("Rule R3.2/R3.3: a case moves through the steps of its route version in order."),
				 errhint("Act on the case's current step (sdbc.approval_case.current_step).")));
	s.office = spi_text(0, 1);
	s.level = DatumGetInt32(sdbc_spi_value(0, 2, &isnull));
	s.quorum = spi_text(0, 3);
	s.quorum_n = DatumGetInt32(sdbc_spi_value(0, 4, &isnull));
	s.blocking = DatumGetBool(sdbc_spi_value(0, 5, &isnull));
	s.notice = DatumGetBool(sdbc_spi_value(0, 6, &isnull));
	s.notice_days = DatumGetInt32(sdbc_spi_value(0, 7, &isnull));
	s.objection_to = DatumGetInt32(sdbc_spi_value(0, 8, &isnull));
	s.refusal_reasons_days = DatumGetInt32(sdbc_spi_value(0, 9, &isnull));
	return s;
}

/* True when the query returns a row. */
static bool
exists(SavedQuery *q, Datum *args)
{
	return sdbc_spi_run(q, args, NULL, false, 1) > 0;
}

/* A count from the first column of a one-row query. */
static int64
count_of(SavedQuery *q, Datum *args)
{
	bool		isnull;
	Datum		d;

	sdbc_spi_run(q, args, NULL, false, 1);
	d = sdbc_spi_value(0, 1, &isnull);
	return isnull ? 0 : DatumGetInt64(d);
}

/* SD308 unless a reason is given. */
static void
require_reason(bool reason_null, const char *verdict)
{
	if (reason_null)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_REASON_REQUIRED),
				 errmsg("%s needs a reason", sdbc_text(verdict)),
				 errdetail("Rules R3.2, R3.3, R4.2: a refusal, send-back or objection is recorded with its reason, and a refusal's written reasons are text."),
				 errhint("Give the reason in the reason column.")));
}

/*
 * Check an approval, refusal or send-back on a step: order, office
 * membership or A/B acting, four eyes, one vote per person.
 */
static void
check_actor_on_step(const CaseState *c, const StepDef *s, int64 case_id, int32 step_no,
					int64 actor, bool has_acting_for, int64 acting_for, bool is_approval,
					bool closed_case)
{
	int64		office_div = divcode_ancestor(c->division, s->level);
	int64		person = has_acting_for ? acting_for : actor;
	Datum		args[5];

	if (!closed_case &&
		(s->blocking ? step_no != c->current_step : (step_no > c->current_step || c->current_step == 0)))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_STEP_ORDER),
				 errmsg("step %d of case %lld is not open; the case is at step %d",
						step_no, (long long) case_id, c->current_step),
				 errdetail("Rule R3.2/R3.3: nobody acts on a later step while an earlier one is open."),
				 errhint("Act on step %d.", c->current_step)));
	if (office_div < 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_NOT_IN_OFFICE),
				 errmsg("the case's division has no %s", s->office)));

	if (has_acting_for)
	{
		args[0] = CStringGetTextDatum(s->office);
		args[1] = Int64GetDatum(office_div);
		args[2] = Int64GetDatum(acting_for);
		args[3] = Int64GetDatum(actor);
		if (!exists(&q_backup, args))
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_ACTING_FOR),
					 errmsg("staff %lld may not act for staff %lld on this step",
							(long long) actor, (long long) acting_for),
					 errdetail("Rule R7.3: only the named backup (B) of an A/B post acts for its principal (A), and only while A is recorded absent."),
					 errhint("Record A's absence in sdbc.absence, or let A act.")));
	}
	/* an absent person does not act himself: his backup does (SD350, R7.3) */
	sdbc_refuse_absent_actor(actor, case_id);
	args[0] = Int64GetDatum(person);
	args[1] = CStringGetTextDatum(s->office);
	args[2] = Int64GetDatum(office_div);
	if (!exists(&q_member, args))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_NOT_IN_OFFICE),
				 errmsg("staff %lld is not a member of %s for division %s",
						(long long) person, s->office, divcode_text(office_div)),
				 errdetail("Rule R3.2/R3.3: only a member of the step's office, for the case's division, acts on the step."),
				 errhint("Add the person to sdbc.office_member, or let a member act.")));
	if (is_approval && (actor == c->submitted_by || person == c->submitted_by))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_FOUR_EYES),
				 errmsg("staff %lld submitted case %lld and may not approve it",
						(long long) c->submitted_by, (long long) case_id),
				 errdetail("Rule R3.2: four eyes — the person who submits a case never approves it."),
				 errhint("Another member of %s acts on this step.", s->office)));
	if (is_approval)
	{
		args[0] = Int64GetDatum(case_id);
		args[1] = Int32GetDatum(step_no);
		args[2] = Int32GetDatum(c->round);
		args[3] = Int64GetDatum(actor);
		args[4] = Int64GetDatum(person);
		if (exists(&q_voted, args))
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SECOND_VOTE),
					 errmsg("staff %lld has already acted on step %d of case %lld",
							(long long) person, step_no, (long long) case_id),
					 errdetail("Rule R3.2: one person counts once on a step (\"two or more handlers\" means distinct people)."),
					 errhint("Another member of %s signs.", s->office)));
		/* the steps of an expense are separate duties: one person, one step (R3.2, R3.3) */
		if (sdbc_spi_run(&q_other_step, args, NULL, false, 1) > 0)
		{
			bool		isnull;
			int32		other = DatumGetInt32(sdbc_spi_value(0, 1, &isnull));

			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SECOND_STEP),
					 errmsg("staff %lld approved step %d of case %lld and may not act on step %d too",
							(long long) person, other, (long long) case_id, step_no),
					 errdetail("Rules R3.2, R3.3: the steps of an expense's route are separate duties: handlers sign, the finance lead sends, the street finance office re-reviews or the street party committee approves; one person acts on one of them."),
					 errhint("Another member of %s acts on this step.", s->office)));
		}
	}
}

/* Votes needed to complete a step. */
static int64
votes_needed(const StepDef *s, int64 office_div)
{
	if (strcmp(s->quorum, "any") == 0)
		return 1;
	if (strcmp(s->quorum, "at_least") == 0)
		return s->quorum_n;
	{
		Datum		args[2] = {CStringGetTextDatum(s->office), Int64GetDatum(office_div)};
		int64		n = count_of(&q_members, args);

		return n > 0 ? n : 1;
	}
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

/* BEFORE INSERT row trigger on sdbc.decision. */
Datum
decision_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	bool		isnull,
				acting_null,
				reason_null,
				back_null;
	int64		case_id,
				actor,
				acting_for;
	int32		step_no,
				send_back_to;
	char	   *verdict;
	CaseState	c;
	StartedCase fresh;
	char	   *new_status;
	int32		new_step,
				new_round,
				row_round,
				reasons_days = 0;	/* >0: reasons now due in n days; <0: given */
	int64		n_decisions = 0,
				n_acted = 0;
	Datum		prev_hash = (Datum) 0;
	bool		prev_null = true;
	Datum		hash;
	Datum		args[10];
	int			cols[4];
	Datum		vals[4];
	bool		vnulls[4] = {false, false, false, false};
	TimestampTz decided_at = GetCurrentTimestamp();
	HeapTuple	result;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.decision_check must be a BEFORE INSERT row trigger")));
	sdbc_trigger_only_on(td, "decision_check", (const char *const[]) {"decision", NULL});
	desc = RelationGetDescr(td->tg_relation);
	if (accept_restored_row(td))
		return PointerGetDatum(td->tg_trigtuple);

	/* the id is the identity default's: no decision placed before another (SD340) */
	sdbc_require_engine_id(td->tg_relation, td->tg_trigtuple, "decision_id");
	/* required columns: 23502 naming the column, never "case 0" or a NULL datum read (issue 13) */
	case_id = DatumGetInt64(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "case_id", "R3.2/R3.3"));
	step_no = DatumGetInt32(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "step_no", "R3.2/R3.3"));
	actor = DatumGetInt64(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "actor", "R3.2"));
	acting_for = DatumGetInt64(new_value(td, "acting_for", &acting_null));
	verdict = TextDatumGetCString(sdbc_required_column(td->tg_trigtuple, td->tg_relation, "verdict", "R3.2/R3.3"));
	(void) sdbc_required_column(td->tg_trigtuple, td->tg_relation, "decided_at", "R3.2/R3.3");
	send_back_to = DatumGetInt32(new_value(td, "send_back_to", &back_null));
	(void) new_value(td, "reason", &reason_null);

	SPI_connect();
	sdbc_check_login_is(RelationGetRelid(td->tg_relation), actor, "act on a case");
	if (sdbc_case_just_started(case_id, &fresh))
	{
		/* just inserted by the engine in this call: its state is known, no decision yet */
		c.division = fresh.division;
		c.route_code = pstrdup(fresh.route_code);
		c.route_version = fresh.route_version;
		c.submitted_by = fresh.submitted_by;
		c.status = "open";
		c.current_step = fresh.first_step;
		c.round = 1;
		c.step_started_on = GetSQLCurrentDate();
		c.reasons_due = false;
	}
	else
	{
		c = lock_case(case_id);
		args[0] = Int64GetDatum(case_id);
		if (sdbc_spi_run(&q_last, args, NULL, false, 1) > 0)
		{
			prev_hash = SPI_datumTransfer(sdbc_spi_value(0, 1, &prev_null), false, -1);
			n_decisions = DatumGetInt64(sdbc_spi_value(0, 2, &isnull));
			n_acted = DatumGetInt64(sdbc_spi_value(0, 3, &isnull));
		}
	}

	new_status = c.status;
	new_step = c.current_step;
	new_round = c.round;
	row_round = c.round;

	if (strcmp(verdict, "submit") == 0)
	{
		bool		resubmit = strcmp(c.status, "open") == 0 && c.current_step == 0;

		if (actor != c.submitted_by || step_no != 0 || !acting_null ||
			(n_decisions > 0 && !resubmit))
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_SUBMIT),
					 errmsg("case %lld cannot be submitted now", (long long) case_id),
					 errdetail("Rule R3.2/R3.3: a case is submitted once, at step 0, by its submitter, and again only after it was sent back to the applicant."),
					 errhint("Act on the case's current step instead.")));
		if (resubmit)
		{
			Datum		nargs[3] = {CStringGetTextDatum(c.route_code),
			Int32GetDatum(c.route_version), Int32GetDatum(0)};

			sdbc_spi_run(&q_next_step, nargs, NULL, false, 1);
			new_step = DatumGetInt32(sdbc_spi_value(0, 1, &isnull));
			/* the send-back already started a new round */
		}
	}
	else if (strcmp(verdict, "withdraw") == 0)
	{
		if (strcmp(c.status, "open") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_CASE_CLOSED),
					 errmsg("case %lld is %s", (long long) case_id, c.status),
					 errdetail("Rule R3.2/R3.3: only an open case can be withdrawn.")));
		if (actor != c.submitted_by || n_acted > 0 || step_no != 0)
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_WITHDRAW),
					 errmsg("case %lld can no longer be withdrawn by staff %lld",
							(long long) case_id, (long long) actor),
					 errdetail("Rule R3.2/R3.3: the submitter withdraws (撤回) a case before anyone else has acted on it."),
					 errhint("Ask the current step to send it back, or to reject it with a reason.")));
		new_status = "withdrawn";
	}
	else if (strcmp(verdict, "reasons") == 0)
	{
		StepDef		s;

		if (!c.reasons_due || strcmp(c.status, "rejected") != 0 || step_no != c.current_step)
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NO_REASONS_DUE),
					 errmsg("case %lld owes no written reasons at step %d", (long long) case_id, step_no),
					 errdetail("Rule R4.2: written reasons follow a refusal at a step that requires them, once."),
					 errhint("Reasons are given on the step that refused (sdbc.approval_case.current_step).")));
		s = load_step(&c, step_no);
		c.current_step = step_no;
		check_actor_on_step(&c, &s, case_id, step_no, actor, !acting_null, acting_for, false, true);
		require_reason(reason_null, "a statement of reasons");
		reasons_days = -1;
	}
	else
	{
		StepDef		s;
		bool		approve = strcmp(verdict, "approve") == 0;

		if (strcmp(c.status, "open") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_CASE_CLOSED),
					 errmsg("case %lld is %s", (long long) case_id, c.status),
					 errdetail("Rule R3.2/R3.3: decisions are taken on open cases only."),
					 errhint("Submit a new case.")));
		s = load_step(&c, step_no);
		check_actor_on_step(&c, &s, case_id, step_no, actor, !acting_null, acting_for, approve, false);
		if (!approve)
			require_reason(reason_null, strcmp(verdict, "reject") == 0 ? gettext_noop("a rejection") :
						   strcmp(verdict, "object") == 0 ? gettext_noop("an objection") : gettext_noop("a send-back"));

		if (strcmp(verdict, "object") == 0)
		{
			if (!s.notice)
				ereport(ERROR,
						(errcode(ERRCODE_SDBC_NOT_A_NOTICE),
						 errmsg("step %d of case %lld is not a public notice", step_no, (long long) case_id),
						 errdetail("Rule R4.2: objections are raised during a public notice (公示)."),
						 errhint("Send the case back with a reason instead.")));
			/* back to the step the route names; the notice starts again from there */
			new_step = s.objection_to;
			new_round = c.round + 1;
		}
		else if (approve && s.notice &&
				 c.step_started_on + s.notice_days > GetSQLCurrentDate())
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_NOTICE_RUNNING),
					 errmsg("the public notice of case %lld runs until %s", (long long) case_id,
							DatumGetCString(DirectFunctionCall1(date_out,
																DateADTGetDatum(c.step_started_on + s.notice_days)))),
					 errdetail("Rule R4.2: a public notice lasts its full %d days; an objection meanwhile sends the case back.", s.notice_days),
					 errhint("Close the notice on or after its last day.")));
		if (strcmp(verdict, "reject") == 0)
		{
			new_status = "rejected";
			reasons_days = s.refusal_reasons_days;
		}
		else if (strcmp(verdict, "object") == 0)
			;
		else if (strcmp(verdict, "send_back") == 0)
		{
			if (back_null || send_back_to < 0 || send_back_to >= step_no)
				ereport(ERROR,
						(errcode(ERRCODE_SDBC_SEND_BACK_TARGET),
						 errmsg("a send-back from step %d goes to an earlier step or to the applicant (0)", step_no),
						 errdetail("Rule R3.2/R3.3: send back (驳回) returns a case to an earlier step or to its applicant."),
						 errhint("Give send_back_to between 0 and %d.", step_no - 1)));
			new_step = send_back_to;
			new_round = c.round + 1;
		}
		else if (s.blocking)
		{
			Datum		vargs[3] = {Int64GetDatum(case_id), Int32GetDatum(step_no), Int32GetDatum(c.round)};
			int64		votes = count_of(&q_votes, vargs) + 1;

			if (votes >= votes_needed(&s, divcode_ancestor(c.division, s.level)))
			{
				Datum		nargs[3] = {CStringGetTextDatum(c.route_code),
				Int32GetDatum(c.route_version), Int32GetDatum(step_no)};

				sdbc_spi_run(&q_next_step, nargs, NULL, false, 1);
				(void) sdbc_spi_value(0, 1, &isnull);
				if (isnull)
					new_status = "approved";
				else
					new_step = DatumGetInt32(sdbc_spi_value(0, 1, &isnull));
			}
		}
	}

	/* the case's new state, when the decision changes it */
	if (strcmp(new_status, c.status) != 0 || new_step != c.current_step ||
		new_round != c.round || reasons_days != 0)
	{
		args[0] = Int64GetDatum(case_id);
		args[1] = CStringGetTextDatum(new_status);
		args[2] = Int32GetDatum(new_step);
		args[3] = Int32GetDatum(new_round);
		args[4] = Int32GetDatum(reasons_days);
		/* the deadline for written reasons, by the calendar of the case's division */
		args[5] = DateADTGetDatum(reasons_days > 0
								  ? sdbc_add_working_days(GetSQLCurrentDate(), reasons_days, c.division)
								  : GetSQLCurrentDate());
		sdbc_spi_engine_write(&q_update_case, args, NULL, 0);
	}
	SPI_finish();

	/* the chain: round, previous hash, own hash */
	{
		DecisionLink l;
		Datum		d;

		l.prev_hash = prev_null ? NULL : DatumGetByteaPP(prev_hash);
		l.case_id = case_id;
		l.step_no = step_no;
		l.round = row_round;
		l.actor = actor;
		l.has_acting_for = !acting_null;
		l.acting_for = acting_for;
		l.verdict = verdict;
		l.has_send_back_to = !back_null;
		l.send_back_to = send_back_to;
		d = new_value(td, "reason", &reason_null);
		l.reason = reason_null ? NULL : DatumGetTextPP(d);
		/* when: the engine's clock, whatever the client brought (issue 13, section 3) */
		l.decided_at = decided_at;
		hash = PointerGetDatum(sdbc_decision_hash(&l));
	}

	/* the chain's anchor in the case: its head and length (issue 13, section 8) */
	sdbc_anchor_case(case_id, hash, n_decisions + 1);

	cols[0] = SPI_fnumber(desc, "round");
	cols[1] = SPI_fnumber(desc, "prev_hash");
	cols[2] = SPI_fnumber(desc, "hash");
	vals[0] = Int32GetDatum(row_round);
	vals[1] = prev_hash;
	vnulls[1] = prev_null;
	vals[2] = hash;
	cols[3] = SPI_fnumber(desc, "decided_at");
	vals[3] = TimestampTzGetDatum(decided_at);
	result = heap_modify_tuple_by_cols(td->tg_trigtuple, desc, 4, cols, vals, vnulls);
	return PointerGetDatum(result);
}
