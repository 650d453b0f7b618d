/*
 * test_divcode.c — unit tests of the division-code kernel, without a server.
 *
 * Covers the parse forms, every rejection reason, the countyless-prefecture
 * exception, navigation (level, parent, ancestor, subtree) and kinds, plus an
 * exhaustive check over a block of codes that parse → format round-trips.
 */
#include "divcode_kernel.h"
#include "tap.h"

#include <string.h>

/* Parse a C string; returns the status and stores the code. */
static divcode_status
parse(const char *s, int64_t *code)
{
	int			bad;

	return divcode_parse(s, strlen(s), code, &bad);
}

/* True when s is rejected with status want. */
static int
rejects(const char *s, divcode_status want)
{
	int64_t		code;

	return parse(s, &code) == want;
}

/* Accepted forms and the canonical output. */
static void
test_forms(void)
{
	static const struct
	{
		const char *in;
		const char *out;
	}			cases[] = {
		{"65", "650000000000"}, {"6529", "652900000000"}, {"652901", "652901000000"},
		{"652901001", "652901001000"}, {"652901001001", "652901001001"},
		{"650000", "650000000000"}, {" 652901\t", "652901000000"},
		{"441900003", "441900003000"}, {"442000100", "442000100000"},
		{"460400100001", "460400100001"}, {"110101001001", "110101001001"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int64_t		code = 0;
		char		buf[DIVCODE_TEXT_SIZE];

		ok(parse(cases[i].in, &code) == DIVCODE_OK, "accepts '%s'", cases[i].in);
		divcode_format(code, buf);
		is_str(buf, cases[i].out, "canonical form");
	}
}

/* Every rejection reason. */
static void
test_rejections(void)
{
	ok(rejects("", DIVCODE_ERR_EMPTY), "empty");
	ok(rejects("  ", DIVCODE_ERR_EMPTY), "blanks only");
	ok(rejects("65a9", DIVCODE_ERR_NONDIGIT), "letter");
	ok(rejects("+65", DIVCODE_ERR_NONDIGIT), "sign");
	ok(rejects("65 29", DIVCODE_ERR_NONDIGIT), "inner blank");
	ok(rejects("6", DIVCODE_ERR_LENGTH), "1 digit");
	ok(rejects("652", DIVCODE_ERR_LENGTH), "3 digits");
	ok(rejects("6529010", DIVCODE_ERR_LENGTH), "7 digits");
	ok(rejects("6529010010", DIVCODE_ERR_LENGTH), "10 digits");
	ok(rejects("6529010010010", DIVCODE_ERR_LENGTH), "13 digits");
	ok(rejects("00", DIVCODE_ERR_PROVINCE), "province 00");
	ok(rejects("10", DIVCODE_ERR_PROVINCE), "province 10");
	ok(rejects("16", DIVCODE_ERR_PROVINCE), "province 16");
	ok(rejects("66", DIVCODE_ERR_PROVINCE), "province 66");
	ok(rejects("83", DIVCODE_ERR_PROVINCE), "province 83");
	ok(rejects("652901600", DIVCODE_ERR_RANGE), "township 600");
	ok(rejects("652901001999", DIVCODE_ERR_RANGE), "village 999");
	ok(rejects("650100", DIVCODE_ERR_GAP) == 0, "county under prefecture 01 is fine");
	ok(rejects("650001", DIVCODE_ERR_GAP), "county under prefecture 00");
	ok(rejects("652900001", DIVCODE_ERR_GAP), "township under county 00 (Aksu has counties)");
	ok(rejects("652901000001", DIVCODE_ERR_GAP), "village under township 000");
	ok(rejects("440000001", DIVCODE_ERR_GAP), "township under prefecture 00");
	ok(divcode_check(-1, NULL) == DIVCODE_ERR_NEGATIVE, "negative integer");
	ok(divcode_check(INT64_C(1000000000000), NULL) == DIVCODE_ERR_NEGATIVE, "13-digit integer");
	ok(divcode_check(INT64_C(652901001001), NULL) == DIVCODE_OK, "integer form");
}

/* The bad segment is reported for range and gap errors. */
static void
test_bad_segment(void)
{
	int64_t		code;
	int			bad = -1;

	divcode_parse("652901001700", 12, &code, &bad);
	is_int(bad, 4, "village segment named");
	divcode_parse("652900001", 9, &code, &bad);
	is_int(bad, 3, "township segment named");
	is_str(divcode_segment_name(2), "county", "segment name");
}

/* The countyless prefectures of the issue: 东莞 4419, 中山 4420, 儋州 4604. */
static void
test_countyless(void)
{
	int64_t		code;

	ok(parse("441900003001", &code) == DIVCODE_OK, "东莞 township under county 00");
	is_int((int) divcode_level(code), 5, "its community is level 5");
	ok(divcode_parent(INT64_C(441900003000)) == INT64_C(441900000000), "parent is the prefecture");
	ok(divcode_ancestor(INT64_C(441900003001), 3) == -1, "no county ancestor");
	ok(divcode_ancestor(INT64_C(441900003001), 2) == INT64_C(441900000000), "prefecture ancestor");
	ok(parse("442000100", &code) == DIVCODE_OK, "中山 town");
	ok(parse("460400100", &code) == DIVCODE_OK, "儋州 town");
	ok(divcode_contains(INT64_C(441900000000), INT64_C(441900003001)), "prefecture contains its community");
}

/* Levels, parents, ancestors, subtrees and kinds. */
static void
test_navigation(void)
{
	int64_t		c = INT64_C(652901001001);
	char		buf[DIVCODE_TEXT_SIZE];

	is_int(divcode_level(INT64_C(650000000000)), 1, "province level");
	is_int(divcode_level(INT64_C(652900000000)), 2, "prefecture level");
	is_int(divcode_level(INT64_C(652901000000)), 3, "county level");
	is_int(divcode_level(INT64_C(652901001000)), 4, "township level");
	is_int(divcode_level(c), 5, "village level");
	ok(divcode_parent(c) == INT64_C(652901001000), "parent of community is street");
	ok(divcode_parent(INT64_C(652901000000)) == INT64_C(652900000000), "parent of county");
	ok(divcode_parent(INT64_C(650000000000)) == -1, "province has no parent");
	ok(divcode_ancestor(c, 1) == INT64_C(650000000000), "ancestor level 1");
	ok(divcode_ancestor(c, 5) == c, "ancestor at own level is self");
	ok(divcode_ancestor(INT64_C(652901000000), 4) == -1, "no ancestor below own level");
	ok(divcode_ancestor(c, 0) == -1 && divcode_ancestor(c, 6) == -1, "levels outside 1-5");
	ok(divcode_subtree_last(INT64_C(652901000000)) == INT64_C(652901999999), "county subtree");
	ok(divcode_contains(INT64_C(652901000000), c), "county contains community");
	ok(!divcode_contains(c, INT64_C(652901000000)), "community does not contain county");
	ok(!divcode_contains(INT64_C(652901000000), INT64_C(652902001000)), "sibling county");
	ok(divcode_contains(c, c), "self");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901001000))), "street", "001 street");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901099000))), "street", "099 street");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901100000))), "town", "100 town");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901200000))), "township", "200 township");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901400000))), "township_like", "400 township-like");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901001199))), "residents_committee", "199 residents' committee");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901001200))), "villagers_committee", "200 villagers' committee");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652901001599))), "village_like", "599 village-like");
	is_str(divcode_kind_name(divcode_kind_of(INT64_C(652900000000))), "prefecture", "prefecture kind");
	divcode_format_short(INT64_C(652901000000), buf);
	is_str(buf, "652901", "short form of a county");
	divcode_format_short(INT64_C(441900003000), buf);
	is_str(buf, "441900003", "short form keeps a 00 county segment");
}

/*
 * Exhaustive: every township/village pair of one county that parses must
 * format and parse back to itself, and must lie in its county's subtree.
 */
static void
test_round_trip_block(void)
{
	int			failures = 0,
				accepted = 0;

	for (int t = 0; t < 1000; t++)
		for (int v = 0; v < 1000; v++)
		{
			int64_t		code = INT64_C(652901000000) + t * 1000 + v,
						back = 0;
			char		buf[DIVCODE_TEXT_SIZE],
						shortbuf[DIVCODE_TEXT_SIZE];

			if (divcode_check(code, NULL) != DIVCODE_OK)
				continue;
			accepted++;
			divcode_format(code, buf);
			divcode_format_short(code, shortbuf);
			if (parse(buf, &back) != DIVCODE_OK || back != code ||
				parse(shortbuf, &back) != DIVCODE_OK || back != code ||
				!divcode_contains(INT64_C(652901000000), code) ||
				divcode_parent(code) < 0 || !divcode_contains(divcode_parent(code), code))
				failures++;
		}
	/* township 0 with village 0, plus townships 1–599 each with villages 0–599 */
	is_int(accepted, 1 + 599 * 600, "codes accepted in one county");
	is_int(failures, 0, "all of them round-trip and nest");
}

int
main(void)
{
	test_forms();
	test_rejections();
	test_bad_segment();
	test_countyless();
	test_navigation();
	test_round_trip_block();
	return done_testing();
}
