/*
 * route_select_kernel.h — which route a case takes (R3.2, R3.3): the first
 * rule, in priority order, whose test holds for the amount; and where a
 * case on a route starts (the latest version, its first blocking step).
 * Plain C, no postgres.h.
 *
 * Amounts and thresholds are decimal numbers as text, in the form
 * PostgreSQL's numeric_out prints them: -?[0-9]+(\.[0-9]+)?, or "Infinity",
 * "-Infinity", "NaN".  They are compared digit by digit, exactly.
 *
 * Why text and not int64 fen: in SQL both sides are unbounded numeric.
 * sdbc.expense.amount has two decimals at most but no upper bound, and a
 * policy value (expense.small_limit) has no limit on its scale.  A scaled
 * int64 would have to refuse values that route correctly today (an amount
 * above 92 233 720 368 547 758.07 yuan, a limit of 5000.005) and would add
 * an overflow path to every comparison; comparing the decimal digits is
 * exact for every finite numeric, cannot overflow and allocates nothing.
 * Infinity and -Infinity compare as numeric does (above, below every finite
 * value).  The one value that cannot be compared is NaN (numeric sorts it
 * above everything, which would send a NaN expense down the "above the
 * limit" route): the kernel reports it, and malformed text, and the glue
 * raises SD327 instead of choosing a route.
 */
#ifndef SDBC_ROUTE_SELECT_KERNEL_H
#define SDBC_ROUTE_SELECT_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parsed decimal: points into the text it was parsed from (no copy). */
typedef enum route_decimal_kind
{
	ROUTE_DEC_FINITE = 0,
	ROUTE_DEC_POS_INF,
	ROUTE_DEC_NEG_INF
} route_decimal_kind;

typedef struct route_decimal
{
	route_decimal_kind kind;
	bool		negative;		/* finite and below zero (zero is never negative) */
	const char *int_digits;		/* integer digits without leading zeros */
	size_t		int_len;		/* 0 for a value below 1 in magnitude */
	const char *frac_digits;	/* fraction digits without trailing zeros */
	size_t		frac_len;
} route_decimal;

typedef enum route_decimal_status
{
	ROUTE_DEC_OK = 0,
	ROUTE_DEC_NAN,				/* "NaN": not a number, cannot be compared */
	ROUTE_DEC_SYNTAX			/* not a decimal number in numeric_out's form */
} route_decimal_status;

extern route_decimal_status route_decimal_parse(const char *s, size_t len, route_decimal *out);
extern int	route_decimal_cmp(const route_decimal *a, const route_decimal *b);

/* The test of a rule of sdbc.route_rule. */
typedef enum route_test
{
	ROUTE_TEST_ALWAYS = 0,		/* no policy key: the rule always holds */
	ROUTE_TEST_AT_MOST,			/* '<=': amount <= threshold (R3.2: up to and including) */
	ROUTE_TEST_ABOVE			/* '>': amount > threshold (R3.3) */
} route_test;

typedef struct route_rule_test
{
	route_test	test;
	const char *threshold;		/* NUL-terminated decimal text; NULL: no value in force */
} route_rule_test;

typedef enum route_select_status
{
	ROUTE_SELECTED = 0,			/* *index: the first rule that holds */
	ROUTE_NONE,					/* no rule holds (or there are none) */
	ROUTE_NO_THRESHOLD,			/* rule *index has a test but no threshold */
	ROUTE_BAD_THRESHOLD,		/* rule *index's threshold is NaN or malformed */
	ROUTE_BAD_AMOUNT			/* the amount is NaN or malformed (*index: the rule that needed it) */
} route_select_status;

extern route_select_status route_select(const char *amount, const route_rule_test *rules,
										size_t nrules, size_t *index);

/* A step of a route as the start of a case needs it. */
typedef struct route_step_row
{
	int32_t		version;
	int32_t		step_no;
	bool		blocking;
} route_step_row;

extern bool route_start(const int32_t *versions, size_t nversions,
						const route_step_row *steps, size_t nsteps,
						int32_t *version, int32_t *first_step);

#endif							/* SDBC_ROUTE_SELECT_KERNEL_H */
