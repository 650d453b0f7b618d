/*
 * decision_hash.h — the link of a case's decision chain, computed in C.
 */
#ifndef SDBC_DECISION_HASH_H
#define SDBC_DECISION_HASH_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* The fields a decision's hash covers (sdbc.decision_hash). */
typedef struct DecisionLink
{
	bytea	   *prev_hash;		/* NULL for the first decision of a case */
	int64		case_id;
	int32		step_no;
	int32		round;
	int64		actor;
	bool		has_acting_for;
	int64		acting_for;
	const char *verdict;
	bool		has_send_back_to;
	int32		send_back_to;
	text	   *reason;			/* NULL when none */
	TimestampTz decided_at;
} DecisionLink;

extern bytea *sdbc_decision_hash(const DecisionLink *link);

#endif							/* SDBC_DECISION_HASH_H */
