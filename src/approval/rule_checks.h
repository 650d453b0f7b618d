/*
 * rule_checks.h — rule checks that hold whoever records the data (issue 13,
 * sections 7 and 8): they read what they need with the owner's rights, and
 * refuse bad values at the door with an SD code that names the rule.
 */
#ifndef SDBC_RULE_CHECKS_H
#define SDBC_RULE_CHECKS_H

#include "postgres.h"

#include "utils/date.h"

/* R7.3: whether an actor is recorded absent today, and since/until when. */
extern bool sdbc_actor_absence(int64 actor, char **from, char **until);
/* SD350: an actor recorded absent today acts on a step himself (R7.3). */
extern void sdbc_raise_absent_actor(int64 actor, int64 case_id, const char *from, const char *until);
/* The case's chain anchor: the hash and count of its latest decision. */
extern void sdbc_anchor_case(int64 case_id, Datum hash, int64 length);
/* SD352/SD353/SD354: an expense's amount and submitter (R3.2, R3.3). */
extern void sdbc_check_expense_values(Datum amount, int64 submitted_by, int64 community,
									  DateADT on_date);
/* SD355: the payer is another person than the submitter (R3.2). */
extern void sdbc_refuse_self_payment(int64 expense_id, int64 submitted_by, int64 paid_by);

#endif							/* SDBC_RULE_CHECKS_H */
