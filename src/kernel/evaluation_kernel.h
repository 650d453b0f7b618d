/*
 * evaluation_kernel.h — the "3+1" composite score of a community (R5.3), a
 * street's year-end grade (R5.2) and the grade bands; plain C, exact.
 *
 * Scores are fixed point: points in hundredths (int64, 84.25 points = 8425);
 * weights in ten-thousandths (0.9 = 9000).  The products are exact in
 * millionths and rounded once, half away from zero, to hundredths, so a
 * score is reproducible from its stored parts on any platform.
 */
#ifndef SDBC_EVALUATION_KERNEL_H
#define SDBC_EVALUATION_KERNEL_H

#include <stdint.h>

#define EVAL_WEIGHT_ONE 10000	/* weights sum to this (1.0000) */

/* The stored parts of a community's evaluation, in hundredths of points. */
typedef struct eval_parts
{
	int64_t		indicator;		/* 指标考评 */
	int64_t		satisfaction;	/* 公众满意度测评 */
	int64_t		leadership;		/* 领导评价 */
	int64_t		merit;			/* 绩优加分, added */
	int64_t		error;			/* 绩误减分, subtracted */
} eval_parts;

/* Policy in force: weights in ten-thousandths, scale and caps in hundredths. */
typedef struct eval_policy
{
	int64_t		w_indicator;
	int64_t		w_satisfaction;
	int64_t		w_leadership;
	int64_t		scale_max;		/* each of the three scores lies in [0, scale_max] */
	int64_t		merit_max;		/* merit points lie in [0, merit_max] */
	int64_t		error_max;		/* error points lie in [0, error_max] */
} eval_policy;

typedef enum eval_status
{
	EVAL_OK = 0,
	EVAL_OUT_OF_SCALE,			/* a part lies outside its scale or cap; *bad says which */
	EVAL_WEIGHTS				/* the weights do not sum to 1 or one is negative */
} eval_status;

/* Which part was out of scale (for the error message). */
typedef enum eval_part
{
	EVAL_PART_NONE = 0,
	EVAL_PART_INDICATOR,
	EVAL_PART_SATISFACTION,
	EVAL_PART_LEADERSHIP,
	EVAL_PART_MERIT,
	EVAL_PART_ERROR,
	EVAL_PART_COMMUNITY_AVERAGE,
	EVAL_PART_STREET_OWN
} eval_part;

extern const char *eval_part_name(eval_part part);

/* composite = round(w_i·indicator + w_s·satisfaction + w_l·leadership) + merit − error */
extern eval_status eval_composite(const eval_parts *p, const eval_policy *pol,
								  int64_t *out, eval_part *bad);

/*
 * Street year-end grade (R5.2) = round(w_c·community_average + w_s·own);
 * the average may lie anywhere the composites can ([−error_max,
 * scale_max + merit_max]); the street's own score lies in [0, scale_max].
 */
extern eval_status eval_street_grade(int64_t community_average, int64_t own,
									 int64_t w_community, int64_t w_street,
									 const eval_policy *pol,
									 int64_t *out, eval_part *bad);

/*
 * Grade band of a score: "excellent" (优秀) at or above `excellent`, "good"
 * (良好) at or above `good`, "pass" (合格) at or above `pass`, else "fail"
 * (不合格).  NULL when the bands are not excellent ≥ good ≥ pass.
 */
extern const char *eval_band(int64_t score, int64_t excellent, int64_t good, int64_t pass);

#endif							/* SDBC_EVALUATION_KERNEL_H */
