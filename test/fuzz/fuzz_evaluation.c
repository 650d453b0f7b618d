/*
 * fuzz_evaluation.c — libFuzzer target for the "3+1" evaluation kernel
 * (R5.2, R5.3): any parts, weights, scales and caps, including overflowing
 * and negative ones.  When the kernel accepts them, the composite lies
 * between the weighted minimum and maximum it can reach, raising a part
 * never lowers it, and the street grade and band behave alike.
 */
#include "evaluation_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read a small signed value from two bytes (so weights can sum to 10000). */
static int64_t
take(const uint8_t *data, size_t size, size_t *pos, int64_t range)
{
	int64_t		v = 0;

	for (int i = 0; i < 2; i++)
		v = v * 256 + (*pos < size ? data[(*pos)++] : 0);
	return v % range - (range / 20);	/* a few negative values */
}

/* One input: a policy, parts, a street score and bands. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		pos = 0;
	eval_policy pol;
	eval_parts	p,
				up;
	int64_t		c = 0,
				c2 = 0,
				g = 0;
	eval_part	bad = EVAL_PART_NONE;
	const char *band;

	pol.w_indicator = take(data, size, &pos, 10001);
	pol.w_satisfaction = take(data, size, &pos, 10001);
	pol.w_leadership = EVAL_WEIGHT_ONE - pol.w_indicator - pol.w_satisfaction + take(data, size, &pos, 3);
	pol.scale_max = take(data, size, &pos, 20001);
	pol.merit_max = take(data, size, &pos, 2001);
	pol.error_max = take(data, size, &pos, 2001);
	p.indicator = take(data, size, &pos, 20001);
	p.satisfaction = take(data, size, &pos, 20001);
	p.leadership = take(data, size, &pos, 20001);
	p.merit = take(data, size, &pos, 2001);
	p.error = take(data, size, &pos, 2001);

	if (eval_composite(&p, &pol, &c, &bad) != EVAL_OK)
		return 0;
	REQUIRE(c >= -pol.error_max && c <= pol.scale_max + pol.merit_max);
	up = p;
	if (up.indicator < pol.scale_max)
		up.indicator++;
	REQUIRE(eval_composite(&up, &pol, &c2, &bad) == EVAL_OK && c2 >= c);

	if (eval_street_grade(c, take(data, size, &pos, 20001), 9000, 1000, &pol, &g, &bad) == EVAL_OK)
		REQUIRE(g >= -pol.error_max && g <= pol.scale_max + pol.merit_max);
	band = eval_band(c, 9000, 8000, 6000);
	REQUIRE(band != NULL);
	REQUIRE(eval_band(c, 6000, 8000, 9000) == NULL);
	return 0;
}
