/*
 * fuzz_route_select.c — libFuzzer target for the route selection kernel
 * (R3.2, R3.3), checked against a simple reference implementation.
 *
 * 1. Any bytes as decimal text: parsing never crashes; a parsed value equals
 *    itself and its canonical text (sign, digits without padding) parses to
 *    an equal value; only "NaN" is reported as not a number.
 * 2. Values built from an int64 mantissa and a scale of 0–6 (padded with
 *    leading and trailing zeros, "-0" included), infinities, NaN and
 *    malformed text: the kernel's comparison agrees with exact integer
 *    arithmetic (both sides scaled to millionths in __int128), is
 *    antisymmetric and transitive; NaN and malformed text are reported.
 * 3. Rule lists of 0–8 rules (no test, '<=', '>'; thresholds of any of the
 *    kinds above, or missing) and an amount: route_select() returns the same
 *    status and rule as a reference loop over the reference comparison.
 * 4. Route versions and steps: route_start() returns the highest version and
 *    the lowest blocking step of it, as brute force finds them.
 */
#include "route_select_kernel.h"
#include "fuzz_bytes.h"

#include <stdio.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REF_SCALE 6				/* reference values are compared in millionths */
#define MAX_RULES 8

/* What a generated value is, and so what the kernel must make of it. */
typedef enum ref_kind
{
	REF_FINITE,
	REF_POS_INF,
	REF_NEG_INF,
	REF_NAN,
	REF_MALFORMED,
	REF_MISSING					/* a NULL threshold or amount */
} ref_kind;

/* A generated value: its meaning for the reference and its text for the kernel. */
typedef struct ref_value
{
	ref_kind	kind;
	int64_t		mantissa;		/* finite: value = mantissa / 10^scale */
	int			scale;
	char		text[64];
} ref_value;

/* Next n bytes as a big-endian unsigned integer (0 once the input is used up). */
static uint64_t
take_bytes(const uint8_t *data, size_t size, size_t *pos, int n)
{
	uint64_t	v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | fuzz_next_byte(data, size, pos);
	return v;
}

/* Write the decimal text of mantissa / 10^scale with extra zeros on either side. */
static void
format_finite(ref_value *v, int lead, int trail, int minus_zero)
{
	char		digits[32];
	char	   *out = v->text;
	uint64_t	mag = v->mantissa < 0 ? (uint64_t) (-(v->mantissa + 1)) + 1 : (uint64_t) v->mantissa;
	int			nd,
				pad;

	/* the magnitude's digits, padded to at least scale + 1 (an integer digit) */
	nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long) mag);
	pad = nd < v->scale + 1 ? v->scale + 1 - nd : 0;
	memmove(digits + pad, digits, nd + 1);
	memset(digits, '0', pad);
	nd += pad;
	if (v->mantissa < 0 || (v->mantissa == 0 && minus_zero))
		*out++ = '-';
	for (int i = 0; i < lead; i++)
		*out++ = '0';
	for (int i = 0; i < nd; i++)
	{
		if (nd - i == v->scale)
			*out++ = '.';
		*out++ = digits[i];
	}
	if (v->scale == 0 && trail > 0)
		*out++ = '.';
	for (int i = 0; i < trail; i++)
		*out++ = '0';
	*out = '\0';
}

/* Generate one value from the input (see the kinds above). */
static void
gen_value(const uint8_t *data, size_t size, size_t *pos, ref_value *v)
{
	uint8_t		k = fuzz_next_byte(data, size, pos);

	memset(v, 0, sizeof(*v));
	if (k < 200)
	{
		v->kind = REF_FINITE;
		/* half of them small (two bytes), so that values meet and tie */
		v->mantissa = k < 100 ? (int64_t) (int16_t) take_bytes(data, size, pos, 2)
			: (int64_t) take_bytes(data, size, pos, 8);
		v->scale = fuzz_next_byte(data, size, pos) % (REF_SCALE + 1);
		format_finite(v, fuzz_next_byte(data, size, pos) % 3, fuzz_next_byte(data, size, pos) % 3, k & 1);
	}
	else if (k < 210)
	{
		v->kind = REF_POS_INF;
		strcpy(v->text, "Infinity");
	}
	else if (k < 220)
	{
		v->kind = REF_NEG_INF;
		strcpy(v->text, "-Infinity");
	}
	else if (k < 230)
	{
		v->kind = REF_NAN;
		strcpy(v->text, "NaN");
	}
	else if (k < 240)
	{
		/* near misses of numeric_out's form, all malformed */
		static const char *const bad[] = {"5000.", ".5", "+5000", " 5000", "5e3", "", "-", "nan",
		"infinity", "5000.0.1", "5,000", "5000 ", "--1", "0x10", "-.5", "Inf"};

		v->kind = REF_MALFORMED;
		strcpy(v->text, bad[fuzz_next_byte(data, size, pos) % (sizeof(bad) / sizeof(bad[0]))]);
	}
	else
		v->kind = REF_MISSING;
}

/* The text of a value for the kernel: NULL when missing. */
static const char *
value_text(const ref_value *v)
{
	return v->kind == REF_MISSING ? NULL : v->text;
}

/* Reference order of two comparable values (finite or infinite): -1, 0 or 1. */
static int
ref_cmp(const ref_value *a, const ref_value *b)
{
	__int128	x,
				y;
	int			ra = a->kind == REF_NEG_INF ? 0 : a->kind == REF_POS_INF ? 2 : 1;
	int			rb = b->kind == REF_NEG_INF ? 0 : b->kind == REF_POS_INF ? 2 : 1;

	if (ra != rb || ra != 1)
		return ra < rb ? -1 : ra > rb ? 1 : 0;
	x = (__int128) a->mantissa;
	y = (__int128) b->mantissa;
	for (int i = a->scale; i < REF_SCALE; i++)
		x *= 10;
	for (int i = b->scale; i < REF_SCALE; i++)
		y *= 10;
	return x < y ? -1 : x > y ? 1 : 0;
}

/* True when the kernel can compare the value. */
static bool
ref_comparable(const ref_value *v)
{
	return v->kind == REF_FINITE || v->kind == REF_POS_INF || v->kind == REF_NEG_INF;
}

/* Property 1: arbitrary bytes as decimal text. */
static void
check_raw_text(const uint8_t *data, size_t size, size_t *pos)
{
	size_t		len = fuzz_next_byte(data, size, pos) % 32;
	char		raw[32];
	char		canon[80];
	route_decimal d,
				e;
	route_decimal_status st;
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
		raw[i] = (char) fuzz_next_byte(data, size, pos);
	st = route_decimal_parse(raw, len, &d);
	REQUIRE((st == ROUTE_DEC_NAN) == (len == 3 && memcmp(raw, "NaN", 3) == 0));
	if (st != ROUTE_DEC_OK)
		return;
	REQUIRE(route_decimal_cmp(&d, &d) == 0);
	if (d.kind != ROUTE_DEC_FINITE)
		return;
	/* canonical text: no padding, "0" for an empty integer part */
	if (d.negative)
		canon[n++] = '-';
	if (d.int_len == 0)
		canon[n++] = '0';
	memcpy(canon + n, d.int_digits, d.int_len);
	n += d.int_len;
	if (d.frac_len > 0)
	{
		canon[n++] = '.';
		memcpy(canon + n, d.frac_digits, d.frac_len);
		n += d.frac_len;
	}
	REQUIRE(n <= len);
	REQUIRE(route_decimal_parse(canon, n, &e) == ROUTE_DEC_OK);
	REQUIRE(route_decimal_cmp(&d, &e) == 0 && route_decimal_cmp(&e, &d) == 0);
	REQUIRE(e.negative == d.negative && e.int_len == d.int_len && e.frac_len == d.frac_len);
	REQUIRE(d.negative == (d.int_len > 0 || d.frac_len > 0 ? raw[0] == '-' : false));
}

/* Property 2: comparison against the reference, antisymmetry, transitivity. */
static void
check_comparison(const uint8_t *data, size_t size, size_t *pos)
{
	ref_value	v[3];
	route_decimal d[3];

	for (int i = 0; i < 3; i++)
	{
		route_decimal_status st;

		gen_value(data, size, pos, &v[i]);
		if (v[i].kind == REF_MISSING)
			return;
		st = route_decimal_parse(v[i].text, strlen(v[i].text), &d[i]);
		REQUIRE(st == (ref_comparable(&v[i]) ? ROUTE_DEC_OK :
					   v[i].kind == REF_NAN ? ROUTE_DEC_NAN : ROUTE_DEC_SYNTAX));
		if (st != ROUTE_DEC_OK)
			return;
	}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
		{
			int			c = route_decimal_cmp(&d[i], &d[j]);

			REQUIRE(c == ref_cmp(&v[i], &v[j]));
			REQUIRE(c == -route_decimal_cmp(&d[j], &d[i]));
		}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 3; k++)
				if (route_decimal_cmp(&d[i], &d[j]) <= 0 && route_decimal_cmp(&d[j], &d[k]) <= 0)
					REQUIRE(route_decimal_cmp(&d[i], &d[k]) <= 0);
}

/* The reference selection: the loop the SQL rules describe, over the reference comparison. */
static route_select_status
ref_select(const ref_value *amount, const route_test *tests, const ref_value *thr, size_t n, size_t *index)
{
	for (size_t i = 0; i < n; i++)
	{
		int			c;

		*index = i;
		if (tests[i] == ROUTE_TEST_ALWAYS)
			return ROUTE_SELECTED;
		if (thr[i].kind == REF_MISSING)
			return ROUTE_NO_THRESHOLD;
		if (!ref_comparable(&thr[i]))
			return ROUTE_BAD_THRESHOLD;
		if (!ref_comparable(amount))
			return ROUTE_BAD_AMOUNT;
		c = ref_cmp(amount, &thr[i]);
		if (tests[i] == ROUTE_TEST_AT_MOST ? c <= 0 : c > 0)
			return ROUTE_SELECTED;
	}
	return ROUTE_NONE;
}

/* Property 3: route_select() against the reference selection. */
static void
check_selection(const uint8_t *data, size_t size, size_t *pos)
{
	ref_value	amount;
	ref_value	thr[MAX_RULES];
	route_test	tests[MAX_RULES];
	route_rule_test rules[MAX_RULES];
	size_t		n,
				got_index = MAX_RULES + 1,
				want_index = MAX_RULES + 2;
	route_select_status got,
				want;

	gen_value(data, size, pos, &amount);
	n = fuzz_next_byte(data, size, pos) % (MAX_RULES + 1);
	for (size_t i = 0; i < n; i++)
	{
		tests[i] = (route_test) (fuzz_next_byte(data, size, pos) % 3);
		gen_value(data, size, pos, &thr[i]);
		rules[i].test = tests[i];
		rules[i].threshold = value_text(&thr[i]);
	}
	got = route_select(value_text(&amount), rules, n, &got_index);
	want = ref_select(&amount, tests, thr, n, &want_index);
	REQUIRE(got == want);
	if (got != ROUTE_NONE)
		REQUIRE(got_index == want_index && got_index < n);
	else if (n == 0)
		REQUIRE(got_index == MAX_RULES + 1);	/* nothing to point at: left alone */
}

/* Property 4: route_start() against brute force. */
static void
check_start(const uint8_t *data, size_t size, size_t *pos)
{
	int32_t		versions[6];
	route_step_row steps[10];
	size_t		nv = fuzz_next_byte(data, size, pos) % 6,
				ns = fuzz_next_byte(data, size, pos) % 11;
	int32_t		version = -99,
				first = -99,
				want_first = 0;
	bool		started;

	for (size_t i = 0; i < nv; i++)
		versions[i] = (int32_t) (fuzz_next_byte(data, size, pos) % 8) - 1;
	for (size_t i = 0; i < ns; i++)
	{
		uint8_t		b = fuzz_next_byte(data, size, pos);

		steps[i].version = (int32_t) (b % 8) - 1;
		steps[i].step_no = (int32_t) ((b >> 3) % 6);
		steps[i].blocking = (b >> 7) != 0;
	}
	started = route_start(versions, nv, steps, ns, &version, &first);
	REQUIRE(started == (nv > 0));
	if (!started)
		return;
	/* the version is one of them and none is higher */
	{
		bool		listed = false;

		for (size_t i = 0; i < nv; i++)
		{
			listed = listed || versions[i] == version;
			REQUIRE(versions[i] <= version);
		}
		REQUIRE(listed);
	}
	/* the first step: a blocking step of that version that no other one precedes */
	for (size_t i = 0; i < ns; i++)
	{
		bool		lowest = steps[i].version == version && steps[i].blocking;

		for (size_t j = 0; j < ns && lowest; j++)
			if (steps[j].version == version && steps[j].blocking && steps[j].step_no < steps[i].step_no)
				lowest = false;
		if (lowest)
		{
			want_first = steps[i].step_no;
			break;
		}
	}
	REQUIRE(first == want_first);
}

/* One input: the four properties in turn, each reading its part of the bytes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		pos = 0;

	check_raw_text(data, size, &pos);
	check_comparison(data, size, &pos);
	check_selection(data, size, &pos);
	check_start(data, size, &pos);
	return 0;
}
