/*
 * approval_kernel.h — the approval engine's state machine in plain C, without
 * a server (R3.2, R3.3, R4.2, R7.3; issue 14 §1).
 *
 * Given a case (status, route version's steps, current step, round), the
 * decisions so far and a proposed decision with the facts about its actor,
 * approval_decide() returns the case's next state, or the rule the decision
 * breaks (SQLSTATE, rule id, the facts for the message), or the facts it
 * still needs.  The glue (src/decision_check.c) loads only those facts —
 * each one SPI query at most — and calls it again; the kernel checks the
 * rules in the order the engine always has, so the first rule broken is
 * the one reported.  The glue owns the message texts.
 *
 * Days are day numbers (PostgreSQL's DateADT: days since 2000-01-01).
 */
#ifndef SDBC_APPROVAL_KERNEL_H
#define SDBC_APPROVAL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The verdict of a decision (sdbc.decision.verdict). */
typedef enum approval_verdict
{
	AK_SUBMIT,
	AK_WITHDRAW,
	AK_REASONS,
	AK_APPROVE,
	AK_REJECT,
	AK_SEND_BACK,
	AK_OBJECT,
	AK_VERDICT_OTHER			/* a text the table's CHECK refuses afterwards */
} approval_verdict;

/* The status of a case (sdbc.approval_case.status). */
typedef enum approval_status
{
	AK_OPEN,
	AK_APPROVED,
	AK_REJECTED,
	AK_WITHDRAWN,
	AK_STATUS_OTHER
} approval_status;

/* The quorum of a step (sdbc.route_step.quorum). */
typedef enum approval_quorum
{
	AK_QUORUM_ANY,				/* one approval */
	AK_QUORUM_AT_LEAST,			/* quorum_n distinct people */
	AK_QUORUM_ALL				/* every member of the office */
} approval_quorum;

/* A step of the case's route version. */
typedef struct approval_step
{
	int32_t		step_no;
	int32_t		level;			/* the office's division level */
	approval_quorum quorum;
	int32_t		quorum_n;
	bool		blocking;
	bool		notice;			/* a public notice (公示) window */
	int32_t		notice_days;
	int32_t		objection_to;	/* where an objection sends the case */
	int32_t		refusal_reasons_days;	/* 0 when no written reasons are due */
} approval_step;

/* The case as locked for the decision. */
typedef struct approval_case
{
	approval_status status;
	int32_t		current_step;
	int32_t		round;
	int32_t		step_started_on;	/* day number */
	bool		reasons_due;	/* written reasons owed after a refusal */
	bool		is_expense;		/* an expense: one person, one step (SD355) */
	int64_t		submitted_by;
	int64_t		n_decisions;	/* decisions of the case so far */
	int64_t		n_acted;		/* of them, not submissions */
} approval_case;

/* An approval recorded on the case in its current round. */
typedef struct approval_vote
{
	int32_t		step_no;
	int32_t		round;
	int64_t		actor;
	bool		has_acting_for;
	int64_t		acting_for;
} approval_vote;

/* The proposed decision. */
typedef struct approval_proposal
{
	approval_verdict verdict;
	int32_t		step_no;
	int64_t		actor;
	bool		has_acting_for;
	int64_t		acting_for;
	bool		has_send_back_to;
	int32_t		send_back_to;
	bool		has_reason;
	int32_t		today;			/* day number */
} approval_proposal;

/* The facts approval_decide() may ask for, as bits. */
#define AK_FACT_STEPS		0x01	/* steps, n_steps: the route version's steps */
#define AK_FACT_OFFICE_DIV	0x02	/* office_div: the step office's division */
#define AK_FACT_BACKUP		0x04	/* backup_ok */
#define AK_FACT_ABSENT		0x08	/* actor_absent */
#define AK_FACT_MEMBER		0x10	/* person_member */
#define AK_FACT_VOTES		0x20	/* votes, n_votes: approvals of the round */
#define AK_FACT_OFFICE_SIZE	0x40	/* office_size */

/* What the glue has loaded; 'loaded' says which of them are valid. */
typedef struct approval_facts
{
	unsigned	loaded;
	const approval_step *steps; /* in step_no order */
	size_t		n_steps;
	int64_t		office_div;		/* < 0: the case's division has no such office */
	bool		backup_ok;		/* actor is the named backup of acting_for's post, and acting_for is absent */
	bool		actor_absent;	/* the actor is recorded absent today */
	bool		person_member;	/* the person (acting_for, else actor) is a member of the office */
	const approval_vote *votes; /* approvals of the case in the case's round, in order */
	size_t		n_votes;
	int64_t		office_size;	/* distinct members of the office for office_div */
} approval_facts;

/* What a decision breaks: each its own message in the glue. */
typedef enum approval_violation
{
	AK_OK = 0,
	AK_V_SUBMIT,				/* SD310 */
	AK_V_WITHDRAW_CLOSED,		/* SD301: only an open case is withdrawn */
	AK_V_WITHDRAW,				/* SD307 */
	AK_V_NO_REASONS_DUE,		/* SD313 */
	AK_V_CLOSED,				/* SD301: decisions on open cases only */
	AK_V_NO_STEP,				/* SD302: the route version lacks the step */
	AK_V_STEP_NOT_OPEN,			/* SD302 */
	AK_V_NO_OFFICE,				/* SD303: the division has no such office */
	AK_V_ACTING_FOR,			/* SD306 */
	AK_V_ABSENT,				/* SD350 */
	AK_V_NOT_MEMBER,			/* SD303 */
	AK_V_FOUR_EYES,				/* SD304 */
	AK_V_SECOND_VOTE,			/* SD305 */
	AK_V_SECOND_STEP,			/* SD355 */
	AK_V_REASON_REQUIRED,		/* SD308 */
	AK_V_NOT_A_NOTICE,			/* SD315 */
	AK_V_NOTICE_RUNNING,		/* SD314 */
	AK_V_SEND_BACK_TARGET,		/* SD309 */
	AK_V_COUNT
} approval_violation;

/* The decision a reason is missing from (SD308's message). */
typedef enum approval_reason_kind
{
	AK_REASON_STATEMENT,		/* a statement of reasons */
	AK_REASON_REJECTION,
	AK_REASON_OBJECTION,
	AK_REASON_SEND_BACK
} approval_reason_kind;

/* The kernel's answer. */
typedef enum approval_outcome
{
	AK_DECIDED,					/* next state in the result */
	AK_REFUSED,					/* violation and its facts in the result */
	AK_NEEDS					/* load the facts in 'needs', then call again */
} approval_outcome;

typedef struct approval_result
{
	approval_outcome outcome;
	unsigned	needs;			/* AK_NEEDS: the facts to load */
	/* AK_REFUSED */
	approval_violation violation;
	const char *sqlstate;		/* "SD301" … */
	const char *rule;			/* "R3.2/R3.3" … */
	int64_t		person;			/* acting_for, else actor */
	int32_t		other_step;		/* SD355: the step the person approved */
	int32_t		notice_until;	/* SD314: the day the notice runs until */
	int32_t		notice_days;	/* SD314: the notice's days */
	approval_reason_kind reason_kind;	/* SD308 */
	/* AK_DECIDED: the case's next state, and the decision row's round */
	approval_status status;
	int32_t		current_step;
	int32_t		round;
	int32_t		row_round;
	int32_t		reasons_days;	/* >0: reasons due in n working days; <0: given; 0: unchanged */
	bool		changed;		/* the case row must be written */
} approval_result;

/* Verdict, status and quorum from their texts in the tables. */
extern approval_verdict approval_verdict_of(const char *text);
extern approval_status approval_status_of(const char *text);
extern approval_quorum approval_quorum_of(const char *text);

/* The step numbered step_no among steps, or NULL. */
extern const approval_step *approval_find_step(const approval_step *steps, size_t n, int32_t step_no);

/* The first blocking step after step_no, or 0 when there is none. */
extern int32_t approval_next_blocking(const approval_step *steps, size_t n, int32_t after);

/*
 * Decide the proposed decision on the case with the facts loaded so far.
 * Pure: the same arguments always give the same result.
 */
extern approval_outcome approval_decide(const approval_case *c, const approval_proposal *p,
										const approval_facts *f, approval_result *r);

/* SQLSTATE and rule id of a violation. */
extern const char *approval_sqlstate(approval_violation v);
extern const char *approval_rule(approval_violation v);

#endif							/* SDBC_APPROVAL_KERNEL_H */
