/*
 * route_select_kernel.c — route selection (R3.2, R3.3) and the start of a
 * case on a route: exact decimal comparison of amounts with thresholds (see
 * route_select_kernel.h for why decimal text).  Plain C, no postgres.h.
 */
#include "route_select_kernel.h"

#include <string.h>

/* True when the len bytes at s are exactly the NUL-free text word. */
static bool
text_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(s, word, len) == 0;
}

/* True for an ASCII decimal digit. */
static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parse len bytes of decimal text (numeric_out's form: -?digits, optionally
 * a point and at least one more digit; or Infinity, -Infinity, NaN) into
 * *out, which then points into s.  Leading zeros of the integer part and
 * trailing zeros of the fraction are skipped, so equal values compare equal
 * whatever their scale ("5000" = "5000.00" = "05000.0"); a zero is never
 * negative ("-0.00" = "0").
 */
route_decimal_status
route_decimal_parse(const char *s, size_t len, route_decimal *out)
{
	size_t		i = 0,
				int_start,
				frac_start = 0,
				frac_end = 0;

	memset(out, 0, sizeof(*out));
	out->int_digits = s;
	out->frac_digits = s;
	if (text_is(s, len, "NaN"))
		return ROUTE_DEC_NAN;
	if (text_is(s, len, "Infinity"))
	{
		out->kind = ROUTE_DEC_POS_INF;
		return ROUTE_DEC_OK;
	}
	if (text_is(s, len, "-Infinity"))
	{
		out->kind = ROUTE_DEC_NEG_INF;
		return ROUTE_DEC_OK;
	}
	out->kind = ROUTE_DEC_FINITE;
	if (i < len && s[i] == '-')
	{
		out->negative = true;
		i++;
	}
	int_start = i;
	while (i < len && is_digit(s[i]))
		i++;
	if (i == int_start)
		return ROUTE_DEC_SYNTAX;	/* no integer digit ("", "-", ".5") */
	/* integer part without leading zeros */
	{
		size_t		j = int_start;

		while (j < i && s[j] == '0')
			j++;
		out->int_digits = s + j;
		out->int_len = i - j;
	}
	if (i < len && s[i] == '.')
	{
		i++;
		frac_start = i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == frac_start)
			return ROUTE_DEC_SYNTAX;	/* "5." */
		frac_end = i;
		while (frac_end > frac_start && s[frac_end - 1] == '0')
			frac_end--;
	}
	if (i != len)
		return ROUTE_DEC_SYNTAX;	/* anything else after the number */
	out->frac_digits = s + frac_start;
	out->frac_len = frac_end - frac_start;
	if (out->int_len == 0 && out->frac_len == 0)
		out->negative = false;	/* -0 is 0 */
	return ROUTE_DEC_OK;
}

/* Compare the magnitudes of two finite decimals: -1, 0 or 1. */
static int
magnitude_cmp(const route_decimal *a, const route_decimal *b)
{
	size_t		common;
	int			c;

	/* without leading zeros, more integer digits is larger */
	if (a->int_len != b->int_len)
		return a->int_len < b->int_len ? -1 : 1;
	c = memcmp(a->int_digits, b->int_digits, a->int_len);
	if (c != 0)
		return c < 0 ? -1 : 1;
	common = a->frac_len < b->frac_len ? a->frac_len : b->frac_len;
	c = memcmp(a->frac_digits, b->frac_digits, common);
	if (c != 0)
		return c < 0 ? -1 : 1;
	/* equal so far: the longer fraction ends in a non-zero digit, so it is larger */
	if (a->frac_len != b->frac_len)
		return a->frac_len < b->frac_len ? -1 : 1;
	return 0;
}

/* Rank of a decimal's kind and sign for ordering: -Inf < negative < zero or positive < +Inf. */
static int
kind_rank(const route_decimal *d)
{
	switch (d->kind)
	{
		case ROUTE_DEC_NEG_INF:
			return 0;
		case ROUTE_DEC_POS_INF:
			return 3;
		case ROUTE_DEC_FINITE:
			break;
	}
	return d->negative ? 1 : 2;
}

/* Compare two parsed decimals exactly: -1 (a < b), 0 (equal) or 1 (a > b). */
int
route_decimal_cmp(const route_decimal *a, const route_decimal *b)
{
	int			ra = kind_rank(a),
				rb = kind_rank(b);
	int			c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0 || ra == 3)
		return 0;				/* the same infinity */
	c = magnitude_cmp(a, b);
	return ra == 1 ? -c : c;	/* both negative: the larger magnitude is smaller */
}

/*
 * The first rule, in the order given, whose test holds for the amount
 * (R3.2 '<=' up to and including the threshold, R3.3 '>' above it; a rule
 * without a test always holds).  Rules are tried in order and stop at the
 * first that holds, so a later rule's threshold is never needed: a missing
 * or malformed one is reported only when it is reached (ROUTE_NO_THRESHOLD,
 * ROUTE_BAD_THRESHOLD), and the amount only when a test first needs it
 * (ROUTE_BAD_AMOUNT), in that order.  *index is set for every status but
 * ROUTE_NONE.
 */
route_select_status
route_select(const char *amount, const route_rule_test *rules, size_t nrules, size_t *index)
{
	route_decimal a,
				t;
	bool		amount_parsed = false;

	for (size_t i = 0; i < nrules; i++)
	{
		int			c;

		*index = i;
		if (rules[i].test == ROUTE_TEST_ALWAYS)
			return ROUTE_SELECTED;
		if (rules[i].threshold == NULL)
			return ROUTE_NO_THRESHOLD;
		if (route_decimal_parse(rules[i].threshold, strlen(rules[i].threshold), &t) != ROUTE_DEC_OK)
			return ROUTE_BAD_THRESHOLD;
		if (!amount_parsed)
		{
			if (amount == NULL ||
				route_decimal_parse(amount, strlen(amount), &a) != ROUTE_DEC_OK)
				return ROUTE_BAD_AMOUNT;
			amount_parsed = true;
		}
		c = route_decimal_cmp(&a, &t);
		if (rules[i].test == ROUTE_TEST_AT_MOST ? c <= 0 : c > 0)
			return ROUTE_SELECTED;
	}
	return ROUTE_NONE;
}

/*
 * Where a new case on a route starts: the route's latest version (the
 * highest of versions[], in any order) and its first blocking step (the
 * lowest step_no among that version's blocking steps; 0 when it has none;
 * sdbc.route_step keeps step_no above 0).
 * Steps of other versions are ignored.  False when the route has no version.
 */
bool
route_start(const int32_t *versions, size_t nversions, const route_step_row *steps, size_t nsteps,
			int32_t *version, int32_t *first_step)
{
	int32_t		latest,
				first = 0;
	bool		found = false;

	if (nversions == 0)
		return false;
	latest = versions[0];
	for (size_t i = 1; i < nversions; i++)
		if (versions[i] > latest)
			latest = versions[i];
	for (size_t i = 0; i < nsteps; i++)
		if (steps[i].version == latest && steps[i].blocking &&
			(!found || steps[i].step_no < first))
		{
			first = steps[i].step_no;
			found = true;
		}
	*version = latest;
	*first_step = first;
	return true;
}
