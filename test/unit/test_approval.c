/*
 * test_approval.c — unit tests of the approval kernel (R3.2, R3.3, R4.2,
 * R7.3): every verdict on every case status and every kind of step, the
 * order in which rules are checked, the facts the kernel asks for, quorums,
 * send-backs, notices and written reasons.
 */
#include "approval_kernel.h"
#include "tap.h"

#include <string.h>

/* Step kinds of the test route, by step number. */
enum
{
	ST_AT_LEAST = 1,			/* blocking, two distinct people */
	ST_ANY = 2,					/* blocking, one person */
	ST_NOTICE = 3,				/* blocking public notice of 7 days, objections back to 1 */
	ST_OPTIONAL = 4,			/* non-blocking, one person */
	ST_ALL = 5,					/* blocking, every member of the office; reasons due in 15 days */
	N_STEPS = 5
};

/* Everything the glue could load, and what the kernel asked for. */
typedef struct world
{
	approval_case c;
	approval_step steps[N_STEPS];
	int64_t		office_div;
	bool		backup_ok;
	bool		absent;
	bool		member;
	approval_vote votes[8];
	size_t		n_votes;
	int64_t		office_size;
	unsigned	asked;
} world;

/* An open expense case at step 1 of the test route, submitted by staff 100, on day 9000. */
static world
new_world(void)
{
	world		w;

	memset(&w, 0, sizeof(w));
	w.c.status = AK_OPEN;
	w.c.current_step = ST_AT_LEAST;
	w.c.round = 1;
	w.c.step_started_on = 9000;
	w.c.is_expense = true;
	w.c.submitted_by = 100;
	w.c.n_decisions = 1;
	w.steps[0] = (approval_step) {ST_AT_LEAST, 4, AK_QUORUM_AT_LEAST, 2, true, false, 0, 0, 0};
	w.steps[1] = (approval_step) {ST_ANY, 4, AK_QUORUM_ANY, 0, true, false, 0, 0, 0};
	w.steps[2] = (approval_step) {ST_NOTICE, 4, AK_QUORUM_ANY, 0, true, true, 7, ST_AT_LEAST, 0};
	w.steps[3] = (approval_step) {ST_OPTIONAL, 3, AK_QUORUM_ANY, 0, false, false, 0, 0, 0};
	w.steps[4] = (approval_step) {ST_ALL, 3, AK_QUORUM_ALL, 0, true, false, 0, 0, 15};
	w.office_div = 653001001001LL;
	w.member = true;
	w.office_size = 3;
	return w;
}

/* A proposal of verdict v on step by staff 200, with a reason, on day 9010. */
static approval_proposal
propose(approval_verdict v, int32_t step)
{
	approval_proposal p;

	memset(&p, 0, sizeof(p));
	p.verdict = v;
	p.step_no = step;
	p.actor = 200;
	p.has_reason = true;
	p.today = 9010;
	return p;
}

/* Run the kernel as the glue does: load each fact it asks for from the world, once. */
static approval_outcome
run(world *w, const approval_proposal *p, approval_result *r)
{
	approval_facts f;
	int			calls = 0;

	memset(&f, 0, sizeof(f));
	w->asked = 0;
	while (approval_decide(&w->c, p, &f, r) == AK_NEEDS && ++calls < 16)
	{
		if (f.loaded & r->needs)
			return (approval_outcome) 99;	/* asked twice for the same fact */
		w->asked |= r->needs;
		f.loaded |= r->needs;
		f.steps = w->steps;
		f.n_steps = N_STEPS;
		f.office_div = w->office_div;
		f.backup_ok = w->backup_ok;
		f.actor_absent = w->absent;
		f.person_member = w->member;
		f.votes = w->votes;
		f.n_votes = w->n_votes;
		f.office_size = w->office_size;
	}
	return r->outcome;
}

/* The violation of a run, AK_OK when the decision is taken. */
static approval_violation
violation_of(world *w, const approval_proposal *p)
{
	approval_result r;

	return run(w, p, &r) == AK_REFUSED ? r.violation : AK_OK;
}

/* Add an approval by actor (for principal, or 0) on step to the world. */
static void
vote(world *w, int32_t step, int64_t actor, int64_t principal)
{
	approval_vote *v = &w->votes[w->n_votes++];

	v->step_no = step;
	v->round = w->c.round;
	v->actor = actor;
	v->has_acting_for = principal != 0;
	v->acting_for = principal;
}

/* Every verdict on a case that is not open: nothing moves it (SD301, SD310, SD313). */
static void
test_closed_cases(void)
{
	const approval_status closed[] = {AK_APPROVED, AK_REJECTED, AK_WITHDRAWN, AK_STATUS_OTHER};

	for (size_t i = 0; i < 4; i++)
		for (int32_t step = 0; step <= N_STEPS; step++)
			for (int v = AK_SUBMIT; v <= AK_VERDICT_OTHER; v++)
			{
				world		w = new_world();
				approval_proposal p = propose((approval_verdict) v, step);
				approval_result r;
				approval_outcome o;

				w.c.status = closed[i];
				w.c.current_step = step;
				if (v == AK_SUBMIT)
					p.actor = 100;
				o = run(&w, &p, &r);
				if (v == AK_REASONS && closed[i] == AK_REJECTED)
					continue;	/* written reasons: below */
				ok(o == AK_REFUSED && !r.changed, "status %d, verdict %d, step %d: refused", (int) closed[i], v, step);
				if (o != AK_REFUSED)
					continue;
				ok(r.violation == (v == AK_SUBMIT ? AK_V_SUBMIT : v == AK_WITHDRAW ? AK_V_WITHDRAW_CLOSED
								   : v == AK_REASONS ? AK_V_NO_REASONS_DUE : AK_V_CLOSED),
				   "status %d, verdict %d: the case's rule", (int) closed[i], v);
				ok((w.asked & ~AK_FACT_STEPS) == 0, "status %d, verdict %d: no facts about people loaded",
				   (int) closed[i], v);
			}
}

/* Submission and resubmission (SD310). */
static void
test_submit(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_SUBMIT, 0);
	approval_result r;

	p.actor = 100;
	w.c.n_decisions = 0;
	ok(run(&w, &p, &r) == AK_DECIDED && !r.changed && w.asked == 0, "the first submission of a fresh case: no facts, no change");
	w.c.n_decisions = 1;
	is_int(violation_of(&w, &p), AK_V_SUBMIT, "a second submission is SD310");
	p.actor = 200;
	w.c.n_decisions = 0;
	is_int(violation_of(&w, &p), AK_V_SUBMIT, "a submission by another than the submitter is SD310");
	p.actor = 100;
	p.step_no = 1;
	is_int(violation_of(&w, &p), AK_V_SUBMIT, "a submission at a step other than 0 is SD310");
	p.step_no = 0;
	p.has_acting_for = true;
	p.acting_for = 7;
	is_int(violation_of(&w, &p), AK_V_SUBMIT, "a submission acting for someone is SD310");
	p.has_acting_for = false;
	/* sent back to the applicant: resubmitted to the first blocking step, same round */
	w.c.n_decisions = 4;
	w.c.current_step = 0;
	w.c.round = 2;
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_AT_LEAST && r.round == 2 && r.row_round == 2 &&
	   r.changed && w.asked == AK_FACT_STEPS, "a resubmission after a send-back goes to step 1 in the same round");
	w.c.status = AK_REJECTED;
	is_int(violation_of(&w, &p), AK_V_SUBMIT, "a rejected case at step 0 is not resubmitted");
}

/* Withdrawal (SD301, SD307). */
static void
test_withdraw(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_WITHDRAW, 0);
	approval_result r;

	p.actor = 100;
	ok(run(&w, &p, &r) == AK_DECIDED && r.status == AK_WITHDRAWN && r.changed && w.asked == 0,
	   "the submitter withdraws before anyone acted");
	w.c.n_acted = 1;
	is_int(violation_of(&w, &p), AK_V_WITHDRAW, "after someone acted: SD307");
	w.c.n_acted = 0;
	p.actor = 200;
	is_int(violation_of(&w, &p), AK_V_WITHDRAW, "by another person: SD307");
	p.actor = 100;
	p.step_no = 1;
	is_int(violation_of(&w, &p), AK_V_WITHDRAW, "at a step other than 0: SD307");
}

/* The order of steps (SD302) for every kind of step, and a step the route lacks. */
static void
test_step_order(void)
{
	const approval_verdict verdicts[] = {AK_APPROVE, AK_REJECT, AK_SEND_BACK, AK_OBJECT};

	for (size_t v = 0; v < 4; v++)
		for (int32_t current = 1; current <= N_STEPS; current++)
			for (int32_t step = 1; step <= N_STEPS; step++)
			{
				world		w = new_world();
				approval_proposal p = propose(verdicts[v], step);
				bool		open = step == ST_OPTIONAL ? step <= current : step == current;
				approval_violation got;

				w.c.current_step = current;
				p.has_send_back_to = true;
				p.send_back_to = 0;
				got = violation_of(&w, &p);
				if (open)
					ok(got != AK_V_STEP_NOT_OPEN, "verdict %d on step %d at step %d: open", (int) verdicts[v], step, current);
				else
					ok(got == AK_V_STEP_NOT_OPEN, "verdict %d on step %d at step %d: SD302", (int) verdicts[v], step, current);
			}
	{
		world		w = new_world();
		approval_proposal p = propose(AK_APPROVE, 9);

		is_int(violation_of(&w, &p), AK_V_NO_STEP, "a step the route version lacks: SD302");
		w.c.current_step = 0;
		p.step_no = ST_OPTIONAL;
		is_int(violation_of(&w, &p), AK_V_STEP_NOT_OPEN, "a non-blocking step while the case is with the applicant: SD302");
	}
}

/* The people: office, A/B acting, absence, membership, four eyes, one vote, one step (SD303-SD306, SD350, SD355). */
static void
test_people(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_APPROVE, ST_AT_LEAST);
	approval_result r;

	w.office_div = -1;
	is_int(violation_of(&w, &p), AK_V_NO_OFFICE, "a division without the office: SD303");
	w = new_world();
	p.has_acting_for = true;
	p.acting_for = 300;
	is_int(violation_of(&w, &p), AK_V_ACTING_FOR, "acting for someone without being his backup while he is absent: SD306");
	w.backup_ok = true;
	ok(run(&w, &p, &r) == AK_DECIDED && r.person == 300, "the named backup acts for the absent principal");
	w.absent = true;
	is_int(violation_of(&w, &p), AK_V_ABSENT, "a backup himself absent: SD350");
	p.has_acting_for = false;
	is_int(violation_of(&w, &p), AK_V_ABSENT, "an absent person acting himself: SD350");
	w.absent = false;
	w.member = false;
	is_int(violation_of(&w, &p), AK_V_NOT_MEMBER, "not a member of the office: SD303");
	w.member = true;
	p.actor = 100;
	is_int(violation_of(&w, &p), AK_V_FOUR_EYES, "the submitter approving: SD304");
	p.verdict = AK_SEND_BACK;
	p.has_send_back_to = true;
	ok(violation_of(&w, &p) == AK_OK, "the submitter may send back (four eyes is about approving)");
	p = propose(AK_APPROVE, ST_AT_LEAST);
	p.has_acting_for = true;
	p.acting_for = 100;
	w.backup_ok = true;
	is_int(violation_of(&w, &p), AK_V_FOUR_EYES, "approving for the submitter: SD304");
	p.has_acting_for = false;
	vote(&w, ST_AT_LEAST, 200, 0);
	is_int(violation_of(&w, &p), AK_V_SECOND_VOTE, "a second approval by the same person: SD305");
	w.n_votes = 0;
	vote(&w, ST_AT_LEAST, 201, 200);
	is_int(violation_of(&w, &p), AK_V_SECOND_VOTE, "approving after one's backup approved for one: SD305");
	w.n_votes = 0;
	vote(&w, ST_AT_LEAST, 200, 0);
	w.c.round = 2;
	ok(violation_of(&w, &p) == AK_OK, "an approval of an earlier round does not count");
	w = new_world();
	w.c.current_step = ST_ANY;
	vote(&w, ST_AT_LEAST, 200, 0);
	p = propose(AK_APPROVE, ST_ANY);
	ok(run(&w, &p, &r) == AK_REFUSED && r.violation == AK_V_SECOND_STEP && r.other_step == ST_AT_LEAST,
	   "approving a second step of an expense: SD355 naming step 1");
	w.c.is_expense = false;
	ok(violation_of(&w, &p) == AK_OK, "a service matter's steps may share a person");
	/* the order: office before acting, acting before absence, absence before membership */
	w = new_world();
	w.member = false;
	w.absent = true;
	p = propose(AK_APPROVE, ST_AT_LEAST);
	p.has_acting_for = true;
	is_int(violation_of(&w, &p), AK_V_ACTING_FOR, "SD306 before SD350 before SD303");
	ok(!(w.asked & (AK_FACT_ABSENT | AK_FACT_MEMBER | AK_FACT_VOTES)), "no later fact loaded after a refusal");
}

/* Reasons (SD308), objections and notices (SD314, SD315), rejections, send-backs (SD309). */
static void
test_verdicts(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_REJECT, ST_AT_LEAST);
	approval_result r;

	p.has_reason = false;
	ok(run(&w, &p, &r) == AK_REFUSED && r.violation == AK_V_REASON_REQUIRED && r.reason_kind == AK_REASON_REJECTION,
	   "a rejection without a reason: SD308");
	p.verdict = AK_SEND_BACK;
	ok(run(&w, &p, &r) == AK_REFUSED && r.reason_kind == AK_REASON_SEND_BACK, "a send-back without a reason: SD308");
	p.verdict = AK_OBJECT;
	ok(run(&w, &p, &r) == AK_REFUSED && r.reason_kind == AK_REASON_OBJECTION, "an objection without a reason: SD308");
	p.has_reason = true;
	is_int(violation_of(&w, &p), AK_V_NOT_A_NOTICE, "an objection outside a notice: SD315");
	w.c.current_step = ST_NOTICE;
	w.c.round = 3;
	p.step_no = ST_NOTICE;
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_AT_LEAST && r.round == 4 && r.row_round == 3,
	   "an objection during the notice goes back to the step the route names, in a new round");
	p.verdict = AK_APPROVE;
	w.c.step_started_on = 9005;
	ok(run(&w, &p, &r) == AK_REFUSED && r.violation == AK_V_NOTICE_RUNNING && r.notice_until == 9012 &&
	   r.notice_days == 7, "closing a 7-day notice begun on day 9005 on day 9010: SD314 until day 9012");
	w.c.step_started_on = 9003;
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_ALL, "closing it on its last day moves to the next blocking step");
	/* a rejection: closed, with written reasons due when the step asks for them */
	w = new_world();
	p = propose(AK_REJECT, ST_AT_LEAST);
	ok(run(&w, &p, &r) == AK_DECIDED && r.status == AK_REJECTED && r.reasons_days == 0 && r.changed,
	   "a rejection closes the case");
	w.c.current_step = ST_ALL;
	p.step_no = ST_ALL;
	ok(run(&w, &p, &r) == AK_DECIDED && r.status == AK_REJECTED && r.reasons_days == 15,
	   "a rejection on a step owing written reasons: due in 15 days");
	/* send-back targets */
	w = new_world();
	w.c.current_step = ST_ANY;
	p = propose(AK_SEND_BACK, ST_ANY);
	is_int(violation_of(&w, &p), AK_V_SEND_BACK_TARGET, "a send-back without a target: SD309");
	p.has_send_back_to = true;
	for (int32_t to = -1; to <= 3; to++)
	{
		p.send_back_to = to;
		if (to < 0 || to >= ST_ANY)
			ok(violation_of(&w, &p) == AK_V_SEND_BACK_TARGET, "a send-back from 2 to %d: SD309", to);
		else
			ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == to && r.round == 2 && r.status == AK_OPEN,
			   "a send-back from 2 to %d starts round 2 there", to);
	}
}

/* Written reasons after a refusal (SD313). */
static void
test_reasons(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_REASONS, ST_ALL);
	approval_result r;

	w.c.status = AK_REJECTED;
	w.c.current_step = ST_ALL;
	w.c.reasons_due = true;
	ok(run(&w, &p, &r) == AK_DECIDED && r.reasons_days == -1 && r.status == AK_REJECTED && r.changed,
	   "reasons owed are given on the step that refused");
	p.has_reason = false;
	ok(run(&w, &p, &r) == AK_REFUSED && r.violation == AK_V_REASON_REQUIRED && r.reason_kind == AK_REASON_STATEMENT,
	   "a statement of reasons without text: SD308");
	p.has_reason = true;
	p.step_no = ST_ANY;
	is_int(violation_of(&w, &p), AK_V_NO_REASONS_DUE, "reasons on another step: SD313");
	p.step_no = ST_ALL;
	w.c.reasons_due = false;
	is_int(violation_of(&w, &p), AK_V_NO_REASONS_DUE, "reasons already given: SD313");
	w.c.reasons_due = true;
	w.c.status = AK_OPEN;
	is_int(violation_of(&w, &p), AK_V_NO_REASONS_DUE, "reasons on an open case: SD313");
	w.c.status = AK_REJECTED;
	w.member = false;
	is_int(violation_of(&w, &p), AK_V_NOT_MEMBER, "reasons by someone outside the office: SD303");
}

/* Quorums: any, at least n distinct people, every member; the last step approves. */
static void
test_quorum(void)
{
	world		w = new_world();
	approval_proposal p = propose(AK_APPROVE, ST_AT_LEAST);
	approval_result r;

	ok(run(&w, &p, &r) == AK_DECIDED && !r.changed && r.current_step == ST_AT_LEAST,
	   "one approval of two needed: the step stays open");
	vote(&w, ST_AT_LEAST, 201, 0);
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_ANY && r.round == 1, "the second distinct person completes step 1");
	w.n_votes = 0;
	vote(&w, ST_AT_LEAST, 202, 201);
	vote(&w, ST_AT_LEAST, 201, 0);
	w.backup_ok = true;
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_ANY, "a principal and his backup count once");
	w = new_world();
	w.c.current_step = ST_ALL;
	p.step_no = ST_ALL;
	vote(&w, ST_ALL, 201, 0);
	ok(run(&w, &p, &r) == AK_DECIDED && !r.changed && (w.asked & AK_FACT_OFFICE_SIZE), "two of three members: open");
	vote(&w, ST_ALL, 202, 0);
	ok(run(&w, &p, &r) == AK_DECIDED && r.status == AK_APPROVED && r.current_step == ST_ALL,
	   "the last member on the last blocking step approves the case");
	w.n_votes = 0;
	w.office_size = 0;
	ok(run(&w, &p, &r) == AK_DECIDED && r.status == AK_APPROVED, "an office without members: one approval");
	w = new_world();
	w.c.current_step = ST_ALL;
	p.step_no = ST_OPTIONAL;
	ok(run(&w, &p, &r) == AK_DECIDED && !r.changed && !(w.asked & AK_FACT_OFFICE_SIZE),
	   "an approval on a non-blocking step changes nothing");
	w.c.current_step = ST_ANY;
	p.step_no = ST_ANY;
	ok(run(&w, &p, &r) == AK_DECIDED && r.current_step == ST_NOTICE && !(w.asked & AK_FACT_OFFICE_SIZE),
	   "quorum any: one approval, and the office's size is not loaded");
	p.verdict = AK_VERDICT_OTHER;
	ok(run(&w, &p, &r) == AK_DECIDED && !r.changed, "an unknown verdict moves nothing (the table's CHECK refuses it)");
}

/* The texts, codes and rules the glue relies on. */
static void
test_names(void)
{
	is_int(approval_verdict_of("send_back"), AK_SEND_BACK, "send_back");
	is_int(approval_verdict_of("reasons"), AK_REASONS, "reasons");
	is_int(approval_verdict_of("Approve"), AK_VERDICT_OTHER, "verdicts are case-sensitive");
	is_int(approval_verdict_of(NULL), AK_VERDICT_OTHER, "no verdict");
	is_int(approval_status_of("withdrawn"), AK_WITHDRAWN, "withdrawn");
	is_int(approval_status_of("lost"), AK_STATUS_OTHER, "an unknown status");
	is_int(approval_quorum_of("at_least"), AK_QUORUM_AT_LEAST, "at_least");
	is_int(approval_quorum_of("all"), AK_QUORUM_ALL, "all");
	is_str(approval_sqlstate(AK_V_SECOND_STEP), "SD355", "SD355");
	is_str(approval_sqlstate(AK_V_ABSENT), "SD350", "SD350");
	is_str(approval_rule(AK_V_ACTING_FOR), "R7.3", "acting for is R7.3");
	is_str(approval_rule(AK_V_NOTICE_RUNNING), "R4.2", "notices are R4.2");
	for (int v = AK_V_SUBMIT; v < AK_V_COUNT; v++)
		ok(strncmp(approval_sqlstate((approval_violation) v), "SD3", 3) == 0, "violation %d has an SD3xx code", v);
	is_int(approval_next_blocking(new_world().steps, N_STEPS, ST_NOTICE), ST_ALL, "the next blocking step skips a non-blocking one");
	is_int(approval_next_blocking(new_world().steps, N_STEPS, ST_ALL), 0, "none after the last");
}

/* Every group of checks. */
int
main(void)
{
	test_closed_cases();
	test_submit();
	test_withdraw();
	test_step_order();
	test_people();
	test_verdicts();
	test_reasons();
	test_quorum();
	test_names();
	return done_testing();
}
