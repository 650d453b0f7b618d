/*
 * fuzz_approval.c — libFuzzer target for the approval kernel (R3.2, R3.3,
 * R4.2, R7.3).
 *
 * The input builds a route version of 1–6 steps (blocking or not, notice,
 * quorum any / at least n / all), a case in any status, and a sequence of up
 * to 32 proposed decisions by a handful of people, each with its own facts
 * (member, absent, backup, office size).  The decisions are applied to a
 * simulated case the way the glue applies them, and after each:
 *  - the kernel asks for each fact once at most, and ends within 8 calls;
 *  - no transition out of a closed case (approved, rejected, withdrawn):
 *    only written reasons are taken on a rejected case, and they move nothing;
 *  - a blocking step completes (the case moves on or is approved) only when
 *    the distinct people who approved it in the round, this one included,
 *    reach its quorum;
 *  - a send-back goes to an earlier step or to the applicant, never forward;
 *  - a refusal changes nothing and names an SD3xx code.
 * Then the whole sequence is replayed: the same decisions in the same order
 * give the same results and the same state.
 */
#include "approval_kernel.h"
#include "fuzz_bytes.h"

#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 6
#define MAX_DECISIONS 32

/* The facts of one proposal, as the glue would load them. */
typedef struct world_facts
{
	int64_t		office_div;
	bool		backup_ok;
	bool		absent;
	bool		member;
	int64_t		office_size;
} world_facts;

/* The simulated case and everything recorded on it. */
typedef struct sim
{
	approval_case c;
	approval_step steps[MAX_STEPS];
	size_t		n_steps;
	approval_vote votes[MAX_DECISIONS];
	size_t		n_votes;
} sim;

/* One proposal and its facts. */
typedef struct move
{
	approval_proposal p;
	world_facts w;
} move;

/* Everything the replay compares. */
typedef struct trace
{
	approval_result r[MAX_DECISIONS];
	approval_case end;
} trace;

/* Build the route version and the case from the input. */
static void
build(sim *s, const uint8_t *data, size_t size, size_t *pos)
{
	memset(s, 0, sizeof(*s));
	s->n_steps = 1 + fuzz_next_byte(data, size, pos) % MAX_STEPS;
	for (size_t i = 0; i < s->n_steps; i++)
	{
		uint8_t		b = fuzz_next_byte(data, size, pos);
		approval_step *st = &s->steps[i];

		st->step_no = (int32_t) i + 1;
		st->level = 3 + (b & 1);
		st->quorum = (approval_quorum) ((b >> 1) % 3);
		st->quorum_n = (b >> 3) & 3;
		st->blocking = (b & 0x20) == 0 || i == 0;
		st->notice = (b & 0x40) != 0;
		st->notice_days = st->notice ? (b >> 3) & 7 : 0;
		st->objection_to = (int32_t) (fuzz_next_byte(data, size, pos) % (i + 1));
		st->refusal_reasons_days = (b & 0x80) ? 10 : 0;
	}
	{
		uint8_t		b = fuzz_next_byte(data, size, pos);

		s->c.status = (approval_status) (b % 5);
		s->c.current_step = (int32_t) ((b >> 3) % (s->n_steps + 1));
		s->c.round = 1;
		s->c.is_expense = (b & 0x80) != 0;
		s->c.reasons_due = (b & 0x40) != 0;
		s->c.submitted_by = 1;
		s->c.n_decisions = 1;
		s->c.step_started_on = 1000;
	}
}

/* Read the next proposal and its facts; false when the input is used up. */
static bool
next_move(move *m, const uint8_t *data, size_t size, size_t *pos)
{
	uint8_t		a,
				b,
				c;

	if (*pos + 3 > size)
		return false;
	a = fuzz_next_byte(data, size, pos);
	b = fuzz_next_byte(data, size, pos);
	c = fuzz_next_byte(data, size, pos);
	memset(m, 0, sizeof(*m));
	m->p.verdict = (approval_verdict) (a % 8);
	m->p.step_no = (int32_t) ((a >> 3) % (MAX_STEPS + 2)) - ((a & 0x80) ? 1 : 0);
	m->p.actor = 1 + b % 6;
	m->p.has_acting_for = (b & 0x08) != 0;
	m->p.acting_for = 1 + (b >> 4) % 6;
	m->p.has_send_back_to = (c & 1) != 0;
	m->p.send_back_to = (int32_t) ((c >> 1) & 7) - 1;
	m->p.has_reason = (c & 0x10) != 0;
	m->p.today = 1000 + ((c >> 5) & 7) * 2;
	m->w.office_div = (c & 0x20) && (a & 0x40) ? -1 : 42;
	m->w.backup_ok = (b & 0x80) != 0;
	m->w.absent = (c & 0xC0) == 0xC0;
	m->w.member = (c & 0x08) == 0 || (b & 0x40) != 0;
	m->w.office_size = (b >> 5) & 3;
	return true;
}

/* Run the kernel as the glue does, loading each fact once; checks the asking. */
static approval_outcome
decide(const sim *s, const move *m, approval_result *r)
{
	approval_facts f;
	int			calls = 0;

	memset(&f, 0, sizeof(f));
	while (approval_decide(&s->c, &m->p, &f, r) == AK_NEEDS)
	{
		REQUIRE(++calls <= 8);
		REQUIRE(r->needs != 0 && (r->needs & f.loaded) == 0);
		f.loaded |= r->needs;
		f.steps = s->steps;
		f.n_steps = s->n_steps;
		f.office_div = m->w.office_div;
		f.backup_ok = m->w.backup_ok;
		f.actor_absent = m->w.absent;
		f.person_member = m->w.member;
		f.votes = s->votes;
		f.n_votes = s->n_votes;
		f.office_size = m->w.office_size;
	}
	return r->outcome;
}

/* Distinct people (principal for a backup) who approved step in round, with who. */
static int64_t
distinct_with(const sim *s, int32_t step, int32_t round, int64_t who)
{
	int64_t		people[MAX_DECISIONS + 1];
	size_t		n = 0;

	people[n++] = who;
	for (size_t i = 0; i < s->n_votes; i++)
	{
		int64_t		p = s->votes[i].has_acting_for ? s->votes[i].acting_for : s->votes[i].actor;
		bool		seen = false;

		if (s->votes[i].step_no != step || s->votes[i].round != round)
			continue;
		for (size_t j = 0; j < n; j++)
			seen = seen || people[j] == p;
		if (!seen)
			people[n++] = p;
	}
	return (int64_t) n;
}

/* The properties of one decided or refused proposal, then its effect on the case. */
static void
check_and_apply(sim *s, const move *m, const approval_result *r)
{
	const approval_case *c = &s->c;

	if (r->outcome == AK_REFUSED)
	{
		REQUIRE(r->violation > AK_OK && r->violation < AK_V_COUNT);
		REQUIRE(strncmp(r->sqlstate, "SD3", 3) == 0);
		return;
	}
	REQUIRE(r->outcome == AK_DECIDED);
	if (c->status != AK_OPEN)
		REQUIRE(m->p.verdict == AK_REASONS && c->status == AK_REJECTED && r->status == c->status &&
				r->current_step == c->current_step && r->round == c->round);
	if (m->p.verdict == AK_SEND_BACK)
		REQUIRE(r->current_step >= 0 && r->current_step < m->p.step_no && r->round == c->round + 1);
	if (m->p.verdict == AK_APPROVE && c->status == AK_OPEN &&
		(r->status == AK_APPROVED || r->current_step != c->current_step))
	{
		const approval_step *st = approval_find_step(s->steps, s->n_steps, m->p.step_no);
		int64_t		needed = st->quorum == AK_QUORUM_ANY ? 1 : st->quorum == AK_QUORUM_AT_LEAST
			? st->quorum_n : (m->w.office_size > 0 ? m->w.office_size : 1);

		REQUIRE(st->blocking);
		REQUIRE(distinct_with(s, m->p.step_no, c->round, r->person) >= needed);
		REQUIRE(r->status == AK_APPROVED || r->current_step > m->p.step_no);
	}
	if (m->p.verdict == AK_APPROVE)
		s->votes[s->n_votes++] = (approval_vote) {m->p.step_no, r->row_round, m->p.actor,
			m->p.has_acting_for, m->p.acting_for};
	if (r->current_step != c->current_step || r->round != c->round)
		s->c.step_started_on = m->p.today;
	if (r->reasons_days != 0)
		s->c.reasons_due = r->reasons_days > 0;
	s->c.status = r->status;
	s->c.current_step = r->current_step;
	s->c.round = r->round;
	s->c.n_decisions++;
	if (m->p.verdict != AK_SUBMIT)
		s->c.n_acted++;
}

/* Apply every proposal of the input to a fresh case; the trace of results. */
static void
play(const uint8_t *data, size_t size, trace *t)
{
	sim			s;
	move		m;
	size_t		pos = 0;
	size_t		n = 0;

	memset(t, 0, sizeof(*t));
	build(&s, data, size, &pos);
	while (n < MAX_DECISIONS && next_move(&m, data, size, &pos))
	{
		decide(&s, &m, &t->r[n]);
		check_and_apply(&s, &m, &t->r[n]);
		n++;
	}
	t->end = s.c;
}

/* Play the input twice: the same decisions in the same order give the same state. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static trace a,
				b;

	play(data, size, &a);
	play(data, size, &b);
	for (size_t i = 0; i < MAX_DECISIONS; i++)
		REQUIRE(a.r[i].outcome == b.r[i].outcome && a.r[i].violation == b.r[i].violation &&
				a.r[i].status == b.r[i].status && a.r[i].current_step == b.r[i].current_step &&
				a.r[i].round == b.r[i].round && a.r[i].reasons_days == b.r[i].reasons_days);
	REQUIRE(a.end.status == b.end.status && a.end.current_step == b.end.current_step &&
			a.end.round == b.end.round && a.end.n_decisions == b.end.n_decisions);
	return 0;
}
