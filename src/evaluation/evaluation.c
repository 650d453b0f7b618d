/*
 * evaluation.c — SQL glue of the evaluation kernel: the "3+1" composite of a
 * community (R5.3), a street's year-end grade (R5.2) and grade bands, with
 * the weights, scales, caps and bands of policy in force for the division on
 * the period's last day.  Errors SD602, SD606, SD607 (docs/errors.md).
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "divcode.h"

#include "evaluation_kernel.h"
#include "policy_cache.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(evaluation_composite_sql);
PG_FUNCTION_INFO_V1(street_grade_score_sql);
PG_FUNCTION_INFO_V1(grade_band_sql);

/* A weight held in ten-thousandths as text, for messages (0.6000). */
static char *
weight_text(int64 w)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out,
											   NumericGetDatum(int64_div_fast_to_numeric(w, 4))));
}

/*
 * n as an integer count of 10^-decimals; false when n has more decimals
 * than that (nothing is rounded silently).
 */
static bool
numeric_to_scaled(Numeric n, int decimals, int64 *out)
{
	Datum		rounded = DirectFunctionCall2(numeric_round, NumericGetDatum(n), Int32GetDatum(decimals));
	int64		factor = 1;
	int			i;

	if (!DatumGetBool(DirectFunctionCall2(numeric_eq, rounded, NumericGetDatum(n))))
		return false;
	for (i = 0; i < decimals; i++)
		factor *= 10;
	*out = DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall2(numeric_mul, rounded,
																 NumericGetDatum(int64_to_numeric(factor)))));
	return true;
}

/* A score argument (points) in hundredths; SD602 beyond two decimals. */
static int64
score_arg(Numeric n, const char *what)
{
	int64		v;

	/* NaN, infinities and numbers past any scale, before they reach int8 (SD602, not 0A000/22003) */
	if (numeric_is_nan(n) || numeric_is_inf(n) ||
		DatumGetBool(DirectFunctionCall2(numeric_gt,
										 DirectFunctionCall1(numeric_abs, NumericGetDatum(n)),
										 NumericGetDatum(int64_to_numeric(INT64CONST(1000000000000))))))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_SCORE_OUT_OF_SCALE),
				 errmsg("%s %s is not a score on any scale", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)))),
				 errdetail("Rule R5.3: a score is a finite number of points within its scale or cap."),
				 errhint("Give the score as a number of points with two decimals at most.")));
	if (!numeric_to_scaled(n, 2, &v))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_SCORE_OUT_OF_SCALE),
				 errmsg("%s %s has more than two decimals", what,
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)))),
				 errdetail("Rule R5.3: scores are kept in hundredths of a point, so that every composite is reproducible from its parts."),
				 errhint("Round the score to two decimals.")));
	return v;
}

/* A policy value in points, as hundredths. */
static int64
policy_points(const char *key, int64 division, DateADT on_date)
{
	Numeric		v = sdbc_policy_required(key, true, division, on_date);
	int64		out;

	if (!numeric_to_scaled(v, 2, &out))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_EVAL_WEIGHTS),
				 errmsg("policy %s has more than two decimals", key),
				 errdetail("Rule R5.3: scales, caps and bands are kept in hundredths of a point."),
				 errhint("Override the key with a value of at most two decimals.")));
	return out;
}

/* A policy weight, as ten-thousandths. */
static int64
policy_weight(const char *key, int64 division, DateADT on_date)
{
	Numeric		v = sdbc_policy_required(key, true, division, on_date);
	int64		out;

	if (!numeric_to_scaled(v, 4, &out))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_EVAL_WEIGHTS),
				 errmsg("policy weight %s has more than four decimals", key),
				 errdetail("Rule R5.2/R5.3: weights are kept in ten-thousandths so that they sum to exactly 1."),
				 errhint("Override the key with a value of at most four decimals.")));
	return out;
}

static void
read_scales(eval_policy *pol, int64 division, DateADT on_date)
{
	pol->scale_max = policy_points("evaluation.scale.max", division, on_date);
	pol->merit_max = policy_points("evaluation.merit.max", division, on_date);
	pol->error_max = policy_points("evaluation.error.max", division, on_date);
}

static Datum
hundredths_datum(int64 v)
{
	return NumericGetDatum(int64_div_fast_to_numeric(v, 2));
}

static void
report_out_of_scale(eval_part bad, const eval_policy *pol, int64 division)
{
	int64		lo = 0,
				hi = pol->scale_max;
	const char *key = "evaluation.scale.max";

	if (bad == EVAL_PART_MERIT)
		hi = pol->merit_max, key = "evaluation.merit.max";
	else if (bad == EVAL_PART_ERROR)
		hi = pol->error_max, key = "evaluation.error.max";
	else if (bad == EVAL_PART_COMMUNITY_AVERAGE)
		lo = -pol->error_max, hi = pol->scale_max + pol->merit_max, key = "evaluation.scale.max + evaluation.merit.max";
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_SCORE_OUT_OF_SCALE),
			 errmsg("%s of %s out of scale", eval_part_name(bad), divcode_text(division)),
			 (bad == EVAL_PART_STREET_OWN || bad == EVAL_PART_COMMUNITY_AVERAGE)
			 ? errdetail("Rule R5.2: a street's own score lies in 0 … evaluation.scale.max, its communities' average where composites can lie (policy in force for the street on the period's last day).")
			 : errdetail("Rule R5.3: indicator score, public satisfaction and leadership rating lie in 0 … evaluation.scale.max, merit and error points in 0 … their caps (policy in force for the division on the period's last day)."),
			 errhint("Give a value from %s to %s (policy %s).",
					 DatumGetCString(DirectFunctionCall1(numeric_out, hundredths_datum(lo))),
					 DatumGetCString(DirectFunctionCall1(numeric_out, hundredths_datum(hi))), key)));
}

/*
 * evaluation_composite(community, on_date, indicator, satisfaction,
 * leadership, merit, error) → composite score (R5.3).
 */
Datum
evaluation_composite_sql(PG_FUNCTION_ARGS)
{
	int64		community = PG_GETARG_DIVCODE(0);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	eval_parts	p;
	eval_policy pol;
	eval_part	bad;
	int64		out = 0;

	p.indicator = score_arg(PG_GETARG_NUMERIC(2), "indicator score");
	p.satisfaction = score_arg(PG_GETARG_NUMERIC(3), "public satisfaction score");
	p.leadership = score_arg(PG_GETARG_NUMERIC(4), "leadership rating");
	p.merit = score_arg(PG_GETARG_NUMERIC(5), "merit points");
	p.error = score_arg(PG_GETARG_NUMERIC(6), "error points");
	pol.w_indicator = policy_weight("evaluation.weight.indicator", community, on_date);
	pol.w_satisfaction = policy_weight("evaluation.weight.satisfaction", community, on_date);
	pol.w_leadership = policy_weight("evaluation.weight.leadership", community, on_date);
	read_scales(&pol, community, on_date);
	switch (eval_composite(&p, &pol, &out, &bad))
	{
		case EVAL_WEIGHTS:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_EVAL_WEIGHTS),
					 errmsg("the \"3+1\" weights in force for %s do not sum to 1", divcode_text(community)),
					 errdetail("Rule R5.3: evaluation.weight.indicator + .satisfaction + .leadership = %s + %s + %s.",
							   weight_text(pol.w_indicator),
							   weight_text(pol.w_satisfaction),
							   weight_text(pol.w_leadership)),
					 errhint("Override the three weights together (one transaction) so that they are non-negative and sum to 1.")));
			break;
		case EVAL_OUT_OF_SCALE:
			report_out_of_scale(bad, &pol, community);
			break;
		case EVAL_OK:
			break;
	}
	PG_RETURN_DATUM(hundredths_datum(out));
}

/*
 * street_grade_score(street, on_date, community_average, own_score) → the
 * street's year-end grade score (R5.2).
 */
Datum
street_grade_score_sql(PG_FUNCTION_ARGS)
{
	int64		street = PG_GETARG_DIVCODE(0);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	int64		average = score_arg(PG_GETARG_NUMERIC(2), "communities' average");
	int64		own = score_arg(PG_GETARG_NUMERIC(3), "street's own score");
	int64		wc = policy_weight("street_grade.community_weight", street, on_date);
	int64		ws = policy_weight("street_grade.street_weight", street, on_date);
	eval_policy pol;
	eval_part	bad;
	int64		out = 0;

	read_scales(&pol, street, on_date);
	switch (eval_street_grade(average, own, wc, ws, &pol, &out, &bad))
	{
		case EVAL_WEIGHTS:
			ereport(ERROR,
					(errcode(ERRCODE_SDBC_EVAL_WEIGHTS),
					 errmsg("the street grade weights in force for %s do not sum to 1", divcode_text(street)),
					 errdetail("Rule R5.2: street_grade.community_weight + street_grade.street_weight = %s + %s.",
							   weight_text(wc),
							   weight_text(ws)),
					 errhint("Override both weights together (one transaction) so that they are non-negative and sum to 1.")));
			break;
		case EVAL_OUT_OF_SCALE:
			report_out_of_scale(bad, &pol, street);
			break;
		case EVAL_OK:
			break;
	}
	PG_RETURN_DATUM(hundredths_datum(out));
}

/* grade_band(division, on_date, score) → excellent, good, pass or fail (R5.2). */
Datum
grade_band_sql(PG_FUNCTION_ARGS)
{
	int64		division = PG_GETARG_DIVCODE(0);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	int64		score = score_arg(PG_GETARG_NUMERIC(2), "grade score");
	int64		excellent = policy_points("street_grade.band.excellent", division, on_date);
	int64		good = policy_points("street_grade.band.good", division, on_date);
	int64		pass = policy_points("street_grade.band.pass", division, on_date);
	const char *band = eval_band(score, excellent, good, pass);

	if (band == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_EVAL_BANDS),
				 errmsg("the grade bands in force for %s are not in descending order", divcode_text(division)),
				 errdetail("Rule R5.2: street_grade.band.excellent ≥ .good ≥ .pass must hold."),
				 errhint("Override the bands so that excellent ≥ good ≥ pass.")));
	PG_RETURN_TEXT_P(cstring_to_text(band));
}
