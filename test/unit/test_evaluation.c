/*
 * test_evaluation.c — unit tests of the R5.2/R5.3 evaluation kernel.
 */
#include "evaluation_kernel.h"
#include "tap.h"

int
main(void)
{
	/* sdbc's defaults: 0.6 / 0.2 / 0.2, scale 100, caps 5 */
	eval_policy pol = {6000, 2000, 2000, 10000, 500, 500};
	eval_parts	p = {8500, 9000, 8000, 200, 100};
	eval_parts	q;
	eval_part	bad;
	int64_t		out = -1;

	is_int(eval_composite(&p, &pol, &out, &bad), EVAL_OK, "composite of valid parts");
	/* 0.6·85 + 0.2·90 + 0.2·80 = 51 + 18 + 16 = 85; + 2 − 1 = 86 */
	is_int(out, 8600, "0.6·85 + 0.2·90 + 0.2·80 + 2 − 1 = 86.00");

	q = p;
	q.indicator = 8333;			/* 0.6·83.33 = 49.998 → 18 + 16 + 49.998 = 83.998 → 84.00 */
	eval_composite(&q, &pol, &out, &bad);
	is_int(out, 8500, "83.998 rounds to 84.00, then + 2 − 1 = 85.00");

	q = p;
	q.indicator = 8331;			/* 49.986 + 34 = 83.986 → 83.99 */
	q.merit = 0;
	q.error = 0;
	eval_composite(&q, &pol, &out, &bad);
	is_int(out, 8399, "83.986 rounds to 83.99");

	{
		eval_policy half = {5000, 2500, 2500, 10000, 500, 500};
		eval_parts	h = {1, 0, 0, 0, 0};	/* 0.5 · 0.01 = 0.005 → 0.01 (half away from zero) */

		eval_composite(&h, &half, &out, &bad);
		is_int(out, 1, "an exact half rounds away from zero");
	}

	q = p;
	q.error = 500;
	q.merit = 0;
	q.indicator = q.satisfaction = q.leadership = 0;
	eval_composite(&q, &pol, &out, &bad);
	is_int(out, -500, "all zero with the full penalty: −5.00 (a composite may be negative)");

	q = p;
	q.satisfaction = 10001;
	is_int(eval_composite(&q, &pol, &out, &bad), EVAL_OUT_OF_SCALE, "satisfaction 100.01 is outside 0–100");
	is_int(bad, EVAL_PART_SATISFACTION, "… and the satisfaction part is named");
	is_str(eval_part_name(bad), "public satisfaction score", "… by its name");
	q = p;
	q.indicator = -1;
	eval_composite(&q, &pol, &out, &bad);
	is_int(bad, EVAL_PART_INDICATOR, "a negative indicator score is outside its scale");
	q = p;
	q.merit = 501;
	eval_composite(&q, &pol, &out, &bad);
	is_int(bad, EVAL_PART_MERIT, "merit above its cap");
	q = p;
	q.error = 501;
	eval_composite(&q, &pol, &out, &bad);
	is_int(bad, EVAL_PART_ERROR, "error points above their cap");
	q = p;
	q.leadership = 10000;
	is_int(eval_composite(&q, &pol, &out, &bad), EVAL_OK, "the top of the scale is inside it");

	{
		eval_policy w = pol;

		w.w_leadership = 2001;
		is_int(eval_composite(&p, &w, &out, &bad), EVAL_WEIGHTS, "weights summing to 1.0001 are refused");
		w.w_leadership = -1000;
		w.w_indicator = 9000;
		is_int(eval_composite(&p, &w, &out, &bad), EVAL_WEIGHTS, "a negative weight is refused even when the sum is 1");
	}

	/* street grade: 0.9 · 84.50 + 0.1 · 70 = 76.05 + 7 = 83.05 */
	is_int(eval_street_grade(8450, 7000, 9000, 1000, &pol, &out, &bad), EVAL_OK, "street grade of valid parts");
	is_int(out, 8305, "0.9 · 84.50 + 0.1 · 70 = 83.05");
	eval_street_grade(8457, 7000, 9000, 1000, &pol, &out, &bad);
	is_int(out, 8311, "0.9 · 84.57 = 76.113 → 83.11");
	is_int(eval_street_grade(8450, 7000, 9000, 1001, &pol, &out, &bad), EVAL_WEIGHTS, "street weights summing to 1.0001 are refused");
	is_int(eval_street_grade(8450, 10001, 9000, 1000, &pol, &out, &bad), EVAL_OUT_OF_SCALE, "street's own score above the scale");
	is_int(bad, EVAL_PART_STREET_OWN, "… named as the street's own score");
	is_int(eval_street_grade(10500, 0, 9000, 1000, &pol, &out, &bad), EVAL_OK, "an average of 105 (all at the top with full merit) is possible");
	is_int(eval_street_grade(10501, 0, 9000, 1000, &pol, &out, &bad), EVAL_OUT_OF_SCALE, "an average above scale + merit cap is not");

	is_str(eval_band(9000, 9000, 8000, 6000), "excellent", "90 is excellent 优秀 (bands inclusive)");
	is_str(eval_band(8999, 9000, 8000, 6000), "good", "89.99 is good 良好");
	is_str(eval_band(6000, 9000, 8000, 6000), "pass", "60 passes 合格");
	is_str(eval_band(5999, 9000, 8000, 6000), "fail", "59.99 fails 不合格");
	is_str(eval_band(-500, 9000, 8000, 6000), "fail", "a negative score fails");
	ok(eval_band(9000, 8000, 9000, 6000) == NULL, "bands not descending: no band");
	return done_testing();
}
