/*
 * test_route_select.c — unit tests of the route selection kernel (R3.2,
 * R3.3): exact decimal comparison, the first rule that holds, and where a
 * case starts on a route.
 */
#include "route_select_kernel.h"
#include "tap.h"

#include <string.h>

/* Compare two decimal texts with the kernel; 99 when either does not parse. */
static int
cmp_text(const char *a, const char *b)
{
	route_decimal da,
				db;

	if (route_decimal_parse(a, strlen(a), &da) != ROUTE_DEC_OK ||
		route_decimal_parse(b, strlen(b), &db) != ROUTE_DEC_OK)
		return 99;
	return route_decimal_cmp(&da, &db);
}

/* Status of parsing a text with the kernel. */
static route_decimal_status
parse_status(const char *s)
{
	route_decimal d;

	return route_decimal_parse(s, strlen(s), &d);
}

/*
 * The shipped expense rules (R3.2 '<=' limit, R3.3 '>' limit) with a given
 * limit: index of the rule chosen for an amount, -1 for ROUTE_NONE, -2 - status
 * for another status.
 */
static long
route_for(const char *amount, const char *limit)
{
	route_rule_test rules[2] = {{ROUTE_TEST_AT_MOST, limit}, {ROUTE_TEST_ABOVE, limit}};
	size_t		index = 999;
	route_select_status st = route_select(amount, rules, 2, &index);

	if (st == ROUTE_SELECTED)
		return (long) index;
	if (st == ROUTE_NONE)
		return -1;
	return -2 - (long) st;
}

/* Every check of the kernel, in groups: parsing, comparison, selection, start. */
int
main(void)
{
	route_decimal d;
	size_t		index;

	/* parsing: numeric_out's forms are accepted, anything else is reported */
	is_int(parse_status("5000"), ROUTE_DEC_OK, "5000 parses");
	is_int(parse_status("5000.01"), ROUTE_DEC_OK, "5000.01 parses");
	is_int(parse_status("-0.50"), ROUTE_DEC_OK, "-0.50 parses");
	is_int(parse_status("Infinity"), ROUTE_DEC_OK, "Infinity parses");
	is_int(parse_status("-Infinity"), ROUTE_DEC_OK, "-Infinity parses");
	is_int(parse_status("NaN"), ROUTE_DEC_NAN, "NaN is reported as not a number");
	is_int(parse_status(""), ROUTE_DEC_SYNTAX, "empty text is malformed");
	is_int(parse_status("-"), ROUTE_DEC_SYNTAX, "a lone minus is malformed");
	is_int(parse_status("5."), ROUTE_DEC_SYNTAX, "a point without fraction digits is malformed");
	is_int(parse_status(".5"), ROUTE_DEC_SYNTAX, "a point without integer digits is malformed");
	is_int(parse_status("1e3"), ROUTE_DEC_SYNTAX, "exponent form is not numeric_out's and is malformed");
	is_int(parse_status(" 5"), ROUTE_DEC_SYNTAX, "leading space is malformed");
	is_int(parse_status("+5"), ROUTE_DEC_SYNTAX, "a plus sign is malformed (numeric_out never prints one)");
	is_int(parse_status("infinity"), ROUTE_DEC_SYNTAX, "infinity in lower case is malformed");
	is_int(parse_status("5000.0.1"), ROUTE_DEC_SYNTAX, "two points are malformed");
	is_int(route_decimal_parse("12x", 2, &d), ROUTE_DEC_OK, "only len bytes are read (\"12\" of \"12x\")");
	is_int((long long) d.int_len, 2, "… two integer digits");
	is_int(route_decimal_parse("007.500", 7, &d), ROUTE_DEC_OK, "007.500 parses");
	ok(d.int_len == 1 && d.int_digits[0] == '7' && d.frac_len == 1 && d.frac_digits[0] == '5',
	   "leading zeros of the integer and trailing zeros of the fraction are skipped");
	route_decimal_parse("-0.00", 5, &d);
	ok(!d.negative && d.int_len == 0 && d.frac_len == 0, "-0.00 is zero, not negative");

	/* comparison: exact, whatever the scale */
	is_int(cmp_text("5000", "5000.00"), 0, "5000 = 5000.00");
	is_int(cmp_text("05000.0", "5000"), 0, "05000.0 = 5000");
	is_int(cmp_text("5000.01", "5000"), 1, "5000.01 > 5000");
	is_int(cmp_text("4999.99", "5000"), -1, "4999.99 < 5000");
	is_int(cmp_text("5000.005", "5000"), 1, "5000.005 > 5000 (three decimals in a threshold)");
	is_int(cmp_text("5000.005", "5000.01"), -1, "5000.005 < 5000.01");
	is_int(cmp_text("0.1", "0.09"), 1, "0.1 > 0.09 (fraction digits compared as digits, not as numbers)");
	is_int(cmp_text("0.01", "0"), 1, "one fen > 0");
	is_int(cmp_text("0", "-0"), 0, "0 = -0");
	is_int(cmp_text("-1", "0"), -1, "-1 < 0");
	is_int(cmp_text("-5", "-4.99"), -1, "-5 < -4.99");
	is_int(cmp_text("-4.99", "-5"), 1, "-4.99 > -5");
	is_int(cmp_text("-0.01", "0.01"), -1, "-0.01 < 0.01");
	is_int(cmp_text("92233720368547758.08", "92233720368547758.07"), 1,
		   "just above INT64_MAX fen compares exactly");
	is_int(cmp_text("123456789012345678901234567890.12", "99999999999999999999999999999.99"), 1,
		   "30 integer digits > 29");
	is_int(cmp_text("Infinity", "123456789012345678901234567890"), 1, "Infinity > any finite value");
	is_int(cmp_text("-Infinity", "-123456789012345678901234567890"), -1, "-Infinity < any finite value");
	is_int(cmp_text("Infinity", "Infinity"), 0, "Infinity = Infinity");
	is_int(cmp_text("-Infinity", "Infinity"), -1, "-Infinity < Infinity");

	/* selection with the shipped rules, limit 5000 (R3.2 inclusive, R3.3 above) */
	is_int(route_for("5000.00", "5000"), 0, "5000.00 is up to and including the limit: R3.2 rule");
	is_int(route_for("5000", "5000.00"), 0, "5000 against a limit written 5000.00: R3.2 rule");
	is_int(route_for("5000.01", "5000"), 1, "5000.01 is above the limit: R3.3 rule");
	is_int(route_for("4999.99", "5000"), 0, "4999.99: R3.2 rule");
	is_int(route_for("0.01", "5000"), 0, "one fen: R3.2 rule");
	is_int(route_for("0", "5000"), 0, "zero: R3.2 rule");
	is_int(route_for("-1.50", "5000"), 0, "a negative amount is up to the limit: R3.2 rule");
	is_int(route_for("123456789012345678901234567890.12", "5000"), 1, "a 30-digit amount: R3.3 rule");
	is_int(route_for("Infinity", "5000"), 1, "Infinity: R3.3 rule (as numeric compares it)");
	is_int(route_for("5000.00", "5000.005"), 0, "limit 5000.005: 5000.00 is below it");
	is_int(route_for("5000.01", "5000.005"), 1, "limit 5000.005: 5000.01 is above it");
	is_int(route_for("0", "0"), 0, "limit 0: zero is up to it");
	is_int(route_for("0.01", "0"), 1, "limit 0: one fen is above it");
	is_int(route_for("-0.01", "-0.01"), 0, "a negative limit equal to the amount: R3.2 rule");
	is_int(route_for("1000000", "Infinity"), 0, "limit Infinity: every finite amount is up to it");
	is_int(route_for("Infinity", "Infinity"), 0, "limit Infinity: Infinity is up to it");
	is_int(route_for("NaN", "5000"), -2 - ROUTE_BAD_AMOUNT, "a NaN amount is reported, not routed");
	is_int(route_for("5 000", "5000"), -2 - ROUTE_BAD_AMOUNT, "a malformed amount is reported");
	is_int(route_for("5000", "NaN"), -2 - ROUTE_BAD_THRESHOLD, "a NaN threshold is reported");
	is_int(route_for("NaN", "NaN"), -2 - ROUTE_BAD_THRESHOLD, "a bad threshold is reported before a bad amount");

	index = 999;
	is_int(route_select("100", NULL, 0, &index), ROUTE_NONE, "no rules: none holds");
	is_int((long long) index, 999, "… and the index is left alone");
	{
		route_rule_test above[1] = {{ROUTE_TEST_ABOVE, "5000"}};

		is_int(route_select("5000", above, 1, &index), ROUTE_NONE,
			   "only a '>' rule and the amount at the threshold: none holds");
		is_int(route_select("5000.01", above, 1, &index), ROUTE_SELECTED, "… one fen more: it holds");
	}
	{
		route_rule_test always[2] = {{ROUTE_TEST_ALWAYS, NULL}, {ROUTE_TEST_AT_MOST, "1"}};

		is_int(route_select("NaN", always, 2, &index), ROUTE_SELECTED,
			   "a rule without a test holds even for a NaN amount (never compared)");
		is_int((long long) index, 0, "… and it is the first rule");
	}
	{
		route_rule_test fallback[2] = {{ROUTE_TEST_AT_MOST, "5000"}, {ROUTE_TEST_ALWAYS, NULL}};

		is_int(route_select("7000", fallback, 2, &index), ROUTE_SELECTED, "a rule without a test catches the rest");
		is_int((long long) index, 1, "… as the second rule");
	}
	{
		route_rule_test missing[3] = {{ROUTE_TEST_AT_MOST, "5000"}, {ROUTE_TEST_ABOVE, NULL},
		{ROUTE_TEST_ALWAYS, NULL}};

		is_int(route_select("100", missing, 3, &index), ROUTE_SELECTED,
			   "a missing threshold after the rule that holds is never needed");
		is_int((long long) index, 0, "… rule 0 holds");
		is_int(route_select("6000", missing, 3, &index), ROUTE_NO_THRESHOLD,
			   "a missing threshold is reported when it is reached");
		is_int((long long) index, 1, "… at rule 1");
	}
	{
		route_rule_test order[2] = {{ROUTE_TEST_ABOVE, "10000"}, {ROUTE_TEST_AT_MOST, "10000"}};

		is_int(route_select("10000", order, 2, &index), ROUTE_SELECTED, "priority order, not the order of thresholds");
		is_int((long long) index, 1, "… 10000 fails '> 10000' and takes '<= 10000'");
		is_int(route_select(NULL, order, 2, &index), ROUTE_BAD_AMOUNT, "no amount at all is reported");
		is_int((long long) index, 0, "… at the first rule that needed it");
	}

	/* where a case starts */
	{
		int32_t		versions[3] = {1, 3, 2};
		route_step_row steps[6] = {
			{3, 1, false}, {3, 3, true}, {3, 2, true}, {2, 1, true}, {1, 1, true}, {4, 1, true}
		};
		int32_t		v = -1,
					first = -1;

		ok(!route_start(versions, 0, steps, 6, &v, &first), "a route without a version cannot start a case");
		ok(route_start(versions, 3, steps, 6, &v, &first), "a route with versions can");
		is_int(v, 3, "… the latest version, whatever the order of the rows");
		is_int(first, 2, "… its lowest blocking step (step 1 does not block; step 2 comes before 3)");
		ok(route_start(versions, 1, steps, 6, &v, &first) && v == 1 && first == 1,
		   "only version 1: its step 1");
		ok(route_start(versions, 3, steps, 1, &v, &first) && v == 3 && first == 0,
		   "the latest version has only a non-blocking step: 0 (no blocking step)");
		ok(route_start(versions, 3, steps + 3, 2, &v, &first) && v == 3 && first == 0,
		   "steps only in older versions: 0 for the latest");
		ok(route_start(versions, 3, NULL, 0, &v, &first) && v == 3 && first == 0,
		   "no steps at all: 0");
	}
	return done_testing();
}
