/*
 * approval_kernel.c — the approval engine's transitions (R3.2, R3.3, R4.2,
 * R7.3), without a server: see approval_kernel.h.
 *
 *  - a case is submitted once by its submitter, at step 0, and again only
 *    after a send-back to the applicant (SD310); withdrawn by the submitter
 *    before anyone else has acted (SD301, SD307);
 *  - written reasons follow a refusal on the step that refused, once (SD313);
 *  - other decisions are taken on open cases (SD301), on a step of the
 *    route version (SD302): a blocking step when it is the current one, a
 *    non-blocking one once the route has reached it (SD302);
 *  - by a member of the step's office (SD303), or the named backup of an
 *    absent principal (SD306); an absent person does not act himself
 *    (SD350); the submitter never approves (SD304); one person counts once
 *    on a step in a round (SD305) and, on an expense, approves one step
 *    (SD355);
 *  - a refusal, send-back or objection has a reason (SD308); an objection
 *    only during a public notice (SD315), a notice closes after its days
 *    (SD314); a send-back goes to an earlier step or to the applicant (SD309);
 *  - a blocking step completes with its quorum of distinct people and the
 *    case moves to the next blocking step, or is approved after the last.
 */
#include "approval_kernel.h"

#include <string.h>

/* Verdict from the text of sdbc.decision.verdict. */
approval_verdict
approval_verdict_of(const char *text)
{
	static const char *const names[] = {
		"submit", "withdraw", "reasons", "approve", "reject", "send_back", "object"
	};

	if (text != NULL)
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(names[i], text) == 0)
				return (approval_verdict) i;
	return AK_VERDICT_OTHER;
}

/* Status from the text of sdbc.approval_case.status. */
approval_status
approval_status_of(const char *text)
{
	static const char *const names[] = {"open", "approved", "rejected", "withdrawn"};

	if (text != NULL)
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(names[i], text) == 0)
				return (approval_status) i;
	return AK_STATUS_OTHER;
}

/* Quorum from the text of sdbc.route_step.quorum; anything else counts every member. */
approval_quorum
approval_quorum_of(const char *text)
{
	if (text != NULL && strcmp(text, "any") == 0)
		return AK_QUORUM_ANY;
	if (text != NULL && strcmp(text, "at_least") == 0)
		return AK_QUORUM_AT_LEAST;
	return AK_QUORUM_ALL;
}

/* The step numbered step_no, or NULL. */
const approval_step *
approval_find_step(const approval_step *steps, size_t n, int32_t step_no)
{
	for (size_t i = 0; i < n; i++)
		if (steps[i].step_no == step_no)
			return &steps[i];
	return NULL;
}

/* The lowest-numbered blocking step after 'after', 0 when none. */
int32_t
approval_next_blocking(const approval_step *steps, size_t n, int32_t after)
{
	int32_t		best = 0;
	bool		found = false;

	for (size_t i = 0; i < n; i++)
		if (steps[i].blocking && steps[i].step_no > after && (!found || steps[i].step_no < best))
		{
			best = steps[i].step_no;
			found = true;
		}
	return best;
}

/* SQLSTATE of a violation. */
const char *
approval_sqlstate(approval_violation v)
{
	static const char *const codes[AK_V_COUNT] = {
		[AK_OK] = "00000", [AK_V_SUBMIT] = "SD310", [AK_V_WITHDRAW_CLOSED] = "SD301",
		[AK_V_WITHDRAW] = "SD307", [AK_V_NO_REASONS_DUE] = "SD313", [AK_V_CLOSED] = "SD301",
		[AK_V_NO_STEP] = "SD302", [AK_V_STEP_NOT_OPEN] = "SD302", [AK_V_NO_OFFICE] = "SD303",
		[AK_V_ACTING_FOR] = "SD306", [AK_V_ABSENT] = "SD350", [AK_V_NOT_MEMBER] = "SD303",
		[AK_V_FOUR_EYES] = "SD304", [AK_V_SECOND_VOTE] = "SD305", [AK_V_SECOND_STEP] = "SD355",
		[AK_V_REASON_REQUIRED] = "SD308", [AK_V_NOT_A_NOTICE] = "SD315",
		[AK_V_NOTICE_RUNNING] = "SD314", [AK_V_SEND_BACK_TARGET] = "SD309"
	};

	return (unsigned) v < AK_V_COUNT ? codes[v] : "XX000";
}

/* Rule id of a violation (docs/rule-map.md). */
const char *
approval_rule(approval_violation v)
{
	switch (v)
	{
		case AK_V_NO_REASONS_DUE:
		case AK_V_NOT_A_NOTICE:
		case AK_V_NOTICE_RUNNING:
			return "R4.2";
		case AK_V_ACTING_FOR:
		case AK_V_ABSENT:
			return "R7.3";
		case AK_V_FOUR_EYES:
		case AK_V_SECOND_VOTE:
			return "R3.2";
		case AK_V_REASON_REQUIRED:
			return "R3.2/R3.3/R4.2";
		default:
			return "R3.2/R3.3";
	}
}

/* Refuse with violation v. */
static approval_outcome
refuse(approval_result *r, approval_violation v)
{
	r->outcome = AK_REFUSED;
	r->violation = v;
	r->sqlstate = approval_sqlstate(v);
	r->rule = approval_rule(v);
	return AK_REFUSED;
}

/* Ask for fact 'fact' unless it is loaded: AK_NEEDS, else AK_DECIDED. */
static approval_outcome
need(const approval_facts *f, approval_result *r, unsigned fact)
{
	if (f->loaded & fact)
		return AK_DECIDED;
	r->outcome = AK_NEEDS;
	r->needs = fact;
	return AK_NEEDS;
}

/* The recorded approval 'v' is by the proposal's actor or the person he acts for. */
static bool
same_person(const approval_vote *v, int64_t actor, int64_t person)
{
	int64_t		counted = v->has_acting_for ? v->acting_for : v->actor;

	return v->actor == actor || counted == person || v->actor == person || counted == actor;
}

/*
 * An approval, refusal or send-back on step s: its order (unless the case is
 * closed: written reasons), the office's division, A/B acting, absence,
 * membership, and for an approval four eyes and one vote per person.
 */
static approval_outcome
check_actor(const approval_case *c, const approval_proposal *p, const approval_step *s,
			const approval_facts *f, approval_result *r, bool closed, bool approval)
{
	approval_outcome o;

	if (!closed && (s->blocking ? p->step_no != c->current_step
					: (p->step_no > c->current_step || c->current_step == 0)))
		return refuse(r, AK_V_STEP_NOT_OPEN);
	if ((o = need(f, r, AK_FACT_OFFICE_DIV)) != AK_DECIDED)
		return o;
	if (f->office_div < 0)
		return refuse(r, AK_V_NO_OFFICE);
	if (p->has_acting_for)
	{
		if ((o = need(f, r, AK_FACT_BACKUP)) != AK_DECIDED)
			return o;
		if (!f->backup_ok)
			return refuse(r, AK_V_ACTING_FOR);
	}
	if ((o = need(f, r, AK_FACT_ABSENT)) != AK_DECIDED)
		return o;
	if (f->actor_absent)
		return refuse(r, AK_V_ABSENT);
	if ((o = need(f, r, AK_FACT_MEMBER)) != AK_DECIDED)
		return o;
	if (!f->person_member)
		return refuse(r, AK_V_NOT_MEMBER);
	if (!approval)
		return AK_DECIDED;
	if (p->actor == c->submitted_by || r->person == c->submitted_by)
		return refuse(r, AK_V_FOUR_EYES);
	if ((o = need(f, r, AK_FACT_VOTES)) != AK_DECIDED)
		return o;
	for (size_t i = 0; i < f->n_votes; i++)
		if (f->votes[i].round == c->round && f->votes[i].step_no == p->step_no &&
			same_person(&f->votes[i], p->actor, r->person))
			return refuse(r, AK_V_SECOND_VOTE);
	for (size_t i = 0; c->is_expense && i < f->n_votes; i++)
		if (f->votes[i].round == c->round && f->votes[i].step_no != p->step_no &&
			f->votes[i].step_no > 0 && same_person(&f->votes[i], p->actor, r->person))
		{
			r->other_step = f->votes[i].step_no;
			return refuse(r, AK_V_SECOND_STEP);
		}
	return AK_DECIDED;
}

/* Distinct people (the principal when acting for one) who approved step_no in round. */
static int64_t
distinct_votes(const approval_facts *f, int32_t step_no, int32_t round)
{
	int64_t		n = 0;

	for (size_t i = 0; i < f->n_votes; i++)
	{
		const approval_vote *v = &f->votes[i];
		int64_t		who = v->has_acting_for ? v->acting_for : v->actor;
		bool		seen = false;

		if (v->step_no != step_no || v->round != round)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
		{
			const approval_vote *w = &f->votes[j];

			seen = w->step_no == step_no && w->round == round &&
				(w->has_acting_for ? w->acting_for : w->actor) == who;
		}
		if (!seen)
			n++;
	}
	return n;
}

/* Submission, or resubmission after a send-back to the applicant (SD310). */
static approval_outcome
decide_submit(const approval_case *c, const approval_proposal *p, const approval_facts *f,
			  approval_result *r)
{
	bool		resubmit = c->status == AK_OPEN && c->current_step == 0;
	approval_outcome o;

	if (p->actor != c->submitted_by || p->step_no != 0 || p->has_acting_for ||
		(c->n_decisions > 0 && !resubmit))
		return refuse(r, AK_V_SUBMIT);
	if (resubmit)
	{
		/* the send-back already started a new round */
		if ((o = need(f, r, AK_FACT_STEPS)) != AK_DECIDED)
			return o;
		r->current_step = approval_next_blocking(f->steps, f->n_steps, 0);
	}
	return AK_DECIDED;
}

/* Withdrawal by the submitter before anyone else acted (SD301, SD307). */
static approval_outcome
decide_withdraw(const approval_case *c, const approval_proposal *p, approval_result *r)
{
	if (c->status != AK_OPEN)
		return refuse(r, AK_V_WITHDRAW_CLOSED);
	if (p->actor != c->submitted_by || c->n_acted > 0 || p->step_no != 0)
		return refuse(r, AK_V_WITHDRAW);
	r->status = AK_WITHDRAWN;
	return AK_DECIDED;
}

/* Written reasons on the step that refused, once (SD313). */
static approval_outcome
decide_reasons(const approval_case *c, const approval_proposal *p, const approval_facts *f,
			   approval_result *r)
{
	const approval_step *s;
	approval_outcome o;

	if (!c->reasons_due || c->status != AK_REJECTED || p->step_no != c->current_step)
		return refuse(r, AK_V_NO_REASONS_DUE);
	if ((o = need(f, r, AK_FACT_STEPS)) != AK_DECIDED)
		return o;
	if ((s = approval_find_step(f->steps, f->n_steps, p->step_no)) == NULL)
		return refuse(r, AK_V_NO_STEP);
	if ((o = check_actor(c, p, s, f, r, true, false)) != AK_DECIDED)
		return o;
	if (!p->has_reason)
	{
		r->reason_kind = AK_REASON_STATEMENT;
		return refuse(r, AK_V_REASON_REQUIRED);
	}
	r->reasons_days = -1;
	return AK_DECIDED;
}

/* An approval on a blocking step: its quorum reached, the case moves on. */
static approval_outcome
count_quorum(const approval_case *c, const approval_proposal *p, const approval_step *s,
			 const approval_facts *f, approval_result *r)
{
	int64_t		needed = 1;
	approval_outcome o;

	if (s->quorum == AK_QUORUM_AT_LEAST)
		needed = s->quorum_n;
	else if (s->quorum == AK_QUORUM_ALL)
	{
		if ((o = need(f, r, AK_FACT_OFFICE_SIZE)) != AK_DECIDED)
			return o;
		needed = f->office_size > 0 ? f->office_size : 1;
	}
	if (distinct_votes(f, p->step_no, c->round) + 1 >= needed)
	{
		int32_t		next = approval_next_blocking(f->steps, f->n_steps, p->step_no);

		if (next == 0)
			r->status = AK_APPROVED;
		else
			r->current_step = next;
	}
	return AK_DECIDED;
}

/* What a step's decision does to the open case, once its actor may take it. */
static approval_outcome
apply_step_verdict(const approval_case *c, const approval_proposal *p, const approval_step *s,
				   const approval_facts *f, approval_result *r)
{
	switch (p->verdict)
	{
		case AK_OBJECT:
			if (!s->notice)
				return refuse(r, AK_V_NOT_A_NOTICE);
			/* back to the step the route names; the notice starts again from there */
			r->current_step = s->objection_to;
			r->round = c->round + 1;
			return AK_DECIDED;
		case AK_REJECT:
			r->status = AK_REJECTED;
			r->reasons_days = s->refusal_reasons_days;
			return AK_DECIDED;
		case AK_SEND_BACK:
			if (!p->has_send_back_to || p->send_back_to < 0 || p->send_back_to >= p->step_no)
				return refuse(r, AK_V_SEND_BACK_TARGET);
			r->current_step = p->send_back_to;
			r->round = c->round + 1;
			return AK_DECIDED;
		case AK_APPROVE:
			if (s->notice && (int64_t) c->step_started_on + s->notice_days > p->today)
			{
				r->notice_until = (int32_t) ((int64_t) c->step_started_on + s->notice_days);
				r->notice_days = s->notice_days;
				return refuse(r, AK_V_NOTICE_RUNNING);
			}
			return s->blocking ? count_quorum(c, p, s, f, r) : AK_DECIDED;
		default:
			/* a verdict the table's CHECK refuses: no transition */
			return AK_DECIDED;
	}
}

/* Approve, reject, send back, object: on an open case, on a step it has reached. */
static approval_outcome
decide_on_step(const approval_case *c, const approval_proposal *p, const approval_facts *f,
			   approval_result *r)
{
	const approval_step *s;
	approval_outcome o;
	bool		approve = p->verdict == AK_APPROVE;

	if (c->status != AK_OPEN)
		return refuse(r, AK_V_CLOSED);
	if ((o = need(f, r, AK_FACT_STEPS)) != AK_DECIDED)
		return o;
	if ((s = approval_find_step(f->steps, f->n_steps, p->step_no)) == NULL)
		return refuse(r, AK_V_NO_STEP);
	if ((o = check_actor(c, p, s, f, r, false, approve)) != AK_DECIDED)
		return o;
	if (!approve && !p->has_reason)
	{
		r->reason_kind = p->verdict == AK_REJECT ? AK_REASON_REJECTION
			: p->verdict == AK_OBJECT ? AK_REASON_OBJECTION : AK_REASON_SEND_BACK;
		return refuse(r, AK_V_REASON_REQUIRED);
	}
	return apply_step_verdict(c, p, s, f, r);
}

/* See approval_kernel.h. */
approval_outcome
approval_decide(const approval_case *c, const approval_proposal *p, const approval_facts *f,
				approval_result *r)
{
	approval_outcome o;

	memset(r, 0, sizeof(*r));
	r->person = p->has_acting_for ? p->acting_for : p->actor;
	r->status = c->status;
	r->current_step = c->current_step;
	r->round = c->round;
	r->row_round = c->round;
	r->sqlstate = approval_sqlstate(AK_OK);
	switch (p->verdict)
	{
		case AK_SUBMIT:
			o = decide_submit(c, p, f, r);
			break;
		case AK_WITHDRAW:
			o = decide_withdraw(c, p, r);
			break;
		case AK_REASONS:
			o = decide_reasons(c, p, f, r);
			break;
		default:
			o = decide_on_step(c, p, f, r);
			break;
	}
	if (o != AK_DECIDED)
		return o;
	r->outcome = AK_DECIDED;
	r->changed = r->status != c->status || r->current_step != c->current_step ||
		r->round != c->round || r->reasons_days != 0;
	return AK_DECIDED;
}
