/*
 * sqlstates.h — every SQLSTATE of the class "SD" that the C code raises, in
 * one place (docs/errors.md has a row for each; test/t/013_sources.pl
 * checks both ways).  The approval kernel, which has no postgres.h, names
 * its codes as text ("SD301", src/kernel/approval_kernel.c); they are
 * defined here too, and the test checks that as well.
 */
#ifndef SDBC_SQLSTATES_H
#define SDBC_SQLSTATES_H

#include "postgres.h"

/*
 * The extension's own SQLSTATE class "SD" for rule violations (docs/errors.md).
 * Input errors use core's codes (22P02 and friends) instead.
 */
#define ERRCODE_SDBC_POLICY_READONLY    MAKE_SQLSTATE('S','D','1','0','1')
#define ERRCODE_SDBC_POLICY_OUT_OF_RANGE MAKE_SQLSTATE('S','D','1','0','2')
#define ERRCODE_SDBC_POLICY_MISSING     MAKE_SQLSTATE('S','D','1','0','3')
#define ERRCODE_SDBC_POLICY_UNKNOWN_KEY MAKE_SQLSTATE('S','D','1','0','4')

/* Approval engine (decision_check.c, expense_check.c): SD3xx. */
#define ERRCODE_SDBC_CASE_CLOSED        MAKE_SQLSTATE('S','D','3','0','1')
#define ERRCODE_SDBC_STEP_ORDER         MAKE_SQLSTATE('S','D','3','0','2')
#define ERRCODE_SDBC_NOT_IN_OFFICE      MAKE_SQLSTATE('S','D','3','0','3')
#define ERRCODE_SDBC_FOUR_EYES          MAKE_SQLSTATE('S','D','3','0','4')
#define ERRCODE_SDBC_SECOND_VOTE        MAKE_SQLSTATE('S','D','3','0','5')
#define ERRCODE_SDBC_ACTING_FOR         MAKE_SQLSTATE('S','D','3','0','6')
#define ERRCODE_SDBC_WITHDRAW           MAKE_SQLSTATE('S','D','3','0','7')
#define ERRCODE_SDBC_REASON_REQUIRED    MAKE_SQLSTATE('S','D','3','0','8')
#define ERRCODE_SDBC_SEND_BACK_TARGET   MAKE_SQLSTATE('S','D','3','0','9')
#define ERRCODE_SDBC_SUBMIT             MAKE_SQLSTATE('S','D','3','1','0')
#define ERRCODE_SDBC_NO_ROUTE           MAKE_SQLSTATE('S','D','3','1','1')
#define ERRCODE_SDBC_CHAIN_BROKEN       MAKE_SQLSTATE('S','D','3','1','2')
#define ERRCODE_SDBC_NO_REASONS_DUE     MAKE_SQLSTATE('S','D','3','1','3')
#define ERRCODE_SDBC_NOTICE_RUNNING     MAKE_SQLSTATE('S','D','3','1','4')
#define ERRCODE_SDBC_NOT_A_NOTICE       MAKE_SQLSTATE('S','D','3','1','5')
#define ERRCODE_SDBC_CASE_WRITE         MAKE_SQLSTATE('S','D','3','1','6')
#define ERRCODE_SDBC_LOGIN_UNMAPPED     MAKE_SQLSTATE('S','D','3','1','7')
#define ERRCODE_SDBC_LOGIN_OTHER_PERSON MAKE_SQLSTATE('S','D','3','1','8')
#define ERRCODE_SDBC_EARMARK            MAKE_SQLSTATE('S','D','3','2','1')
#define ERRCODE_SDBC_NOT_APPROVED       MAKE_SQLSTATE('S','D','3','2','2')
#define ERRCODE_SDBC_ALREADY_PAID       MAKE_SQLSTATE('S','D','3','2','3')
#define ERRCODE_SDBC_OVERDRAW           MAKE_SQLSTATE('S','D','3','2','4')
#define ERRCODE_SDBC_EXPENSE_FIXED      MAKE_SQLSTATE('S','D','3','2','5')
#define ERRCODE_SDBC_OTHER_COMMUNITY    MAKE_SQLSTATE('S','D','3','2','6')
#define ERRCODE_SDBC_NOT_A_NUMBER       MAKE_SQLSTATE('S','D','3','2','7')
#define ERRCODE_SDBC_PAYER_MISSING      MAKE_SQLSTATE('S','D','3','2','8')
/* What the engine records is the engine's (engine_ids.c): SD340-SD343. */
#define ERRCODE_SDBC_ID_FORGED          MAKE_SQLSTATE('S','D','3','4','0')
#define ERRCODE_SDBC_DAY_NOT_TODAY      MAKE_SQLSTATE('S','D','3','4','1')
#define ERRCODE_SDBC_BACKDATE_TOO_FAR   MAKE_SQLSTATE('S','D','3','4','2')
#define ERRCODE_SDBC_BACKDATE_ROLE      MAKE_SQLSTATE('S','D','3','4','3')
/* Issue 13, sections 7 and 8 (rule_checks.c): SD350-SD369. */
#define ERRCODE_SDBC_ABSENT_ACTOR       MAKE_SQLSTATE('S','D','3','5','0')
#define ERRCODE_SDBC_SELF_PAYMENT       MAKE_SQLSTATE('S','D','3','5','1')
#define ERRCODE_SDBC_AMOUNT_NOT_POSITIVE MAKE_SQLSTATE('S','D','3','5','2')
#define ERRCODE_SDBC_AMOUNT_TOO_LARGE   MAKE_SQLSTATE('S','D','3','5','3')
#define ERRCODE_SDBC_UNKNOWN_STAFF      MAKE_SQLSTATE('S','D','3','5','4')
#define ERRCODE_SDBC_SECOND_STEP       MAKE_SQLSTATE('S','D','3','5','5')

/* Hostile-login review, session 4 (trigger_guard.c, grid_partition.c): SD38x. */
#define ERRCODE_SDBC_TRIGGER_ELSEWHERE  MAKE_SQLSTATE('S','D','3','8','0')
#define ERRCODE_SDBC_TOO_MANY_SITES     MAKE_SQLSTATE('S','D','3','8','1')

/* Personal data (id_registration.c): SD7xx. */
#define ERRCODE_SDBC_RESIDENT_NOT_SERVED MAKE_SQLSTATE('S','D','7','0','1')

/* Evaluation (evaluation.c): SD6xx. */
#define ERRCODE_SDBC_SCORE_OUT_OF_SCALE MAKE_SQLSTATE('S','D','6','0','2')
#define ERRCODE_SDBC_EVAL_WEIGHTS       MAKE_SQLSTATE('S','D','6','0','6')
#define ERRCODE_SDBC_EVAL_BANDS         MAKE_SQLSTATE('S','D','6','0','7')

#endif							/* SDBC_SQLSTATES_H */
