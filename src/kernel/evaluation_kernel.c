/*
 * evaluation_kernel.c — "3+1" composite (R5.3), street grade (R5.2), grade
 * bands; exact fixed-point arithmetic (see evaluation_kernel.h).  Plain C,
 * no postgres.h.
 */
#include "evaluation_kernel.h"

#include <stddef.h>

/* millionths → hundredths, rounding half away from zero */
static int64_t
round_to_hundredths(int64_t millionths)
{
	if (millionths >= 0)
		return (millionths + 5000) / 10000;
	return -((-millionths + 5000) / 10000);
}

static int
in_range(int64_t v, int64_t lo, int64_t hi)
{
	return v >= lo && v <= hi;
}

const char *
eval_part_name(eval_part part)
{
	switch (part)
	{
		case EVAL_PART_INDICATOR:
			return "indicator score";
		case EVAL_PART_SATISFACTION:
			return "public satisfaction score";
		case EVAL_PART_LEADERSHIP:
			return "leadership rating";
		case EVAL_PART_MERIT:
			return "merit points";
		case EVAL_PART_ERROR:
			return "error points";
		case EVAL_PART_COMMUNITY_AVERAGE:
			return "communities' average";
		case EVAL_PART_STREET_OWN:
			return "street's own score";
		case EVAL_PART_NONE:
			break;
	}
	return "score";
}

eval_status
eval_composite(const eval_parts *p, const eval_policy *pol, int64_t *out, eval_part *bad)
{
	int64_t		weighted;

	*bad = EVAL_PART_NONE;
	if (pol->w_indicator < 0 || pol->w_satisfaction < 0 || pol->w_leadership < 0 ||
		pol->w_indicator + pol->w_satisfaction + pol->w_leadership != EVAL_WEIGHT_ONE)
		return EVAL_WEIGHTS;
	if (!in_range(p->indicator, 0, pol->scale_max))
		*bad = EVAL_PART_INDICATOR;
	else if (!in_range(p->satisfaction, 0, pol->scale_max))
		*bad = EVAL_PART_SATISFACTION;
	else if (!in_range(p->leadership, 0, pol->scale_max))
		*bad = EVAL_PART_LEADERSHIP;
	else if (!in_range(p->merit, 0, pol->merit_max))
		*bad = EVAL_PART_MERIT;
	else if (!in_range(p->error, 0, pol->error_max))
		*bad = EVAL_PART_ERROR;
	if (*bad != EVAL_PART_NONE)
		return EVAL_OUT_OF_SCALE;
	weighted = pol->w_indicator * p->indicator + pol->w_satisfaction * p->satisfaction +
		pol->w_leadership * p->leadership;
	*out = round_to_hundredths(weighted) + p->merit - p->error;
	return EVAL_OK;
}

eval_status
eval_street_grade(int64_t community_average, int64_t own, int64_t w_community, int64_t w_street,
				  const eval_policy *pol, int64_t *out, eval_part *bad)
{
	*bad = EVAL_PART_NONE;
	if (w_community < 0 || w_street < 0 || w_community + w_street != EVAL_WEIGHT_ONE)
		return EVAL_WEIGHTS;
	if (!in_range(community_average, -pol->error_max, pol->scale_max + pol->merit_max))
		*bad = EVAL_PART_COMMUNITY_AVERAGE;
	else if (!in_range(own, 0, pol->scale_max))
		*bad = EVAL_PART_STREET_OWN;
	if (*bad != EVAL_PART_NONE)
		return EVAL_OUT_OF_SCALE;
	*out = round_to_hundredths(w_community * community_average + w_street * own);
	return EVAL_OK;
}

const char *
eval_band(int64_t score, int64_t excellent, int64_t good, int64_t pass)
{
	if (!(excellent >= good && good >= pass))
		return NULL;
	if (score >= excellent)
		return "excellent";
	if (score >= good)
		return "good";
	if (score >= pass)
		return "pass";
	return "fail";
}
