/*
 * grid_class_kernel.c — the four grid classes of R7.2, from most attention
 * down: comprehensive remediation (综合整治型) when incidents reach their
 * threshold; key attention (重点关注型) when key population per household
 * does; general prevention (一般防范型) when the floating share of residents
 * or the rental share of households does; otherwise routine management
 * (日常管理型).  Thresholds come from policy; plain C, no postgres.h.
 */
#include "grid_class_kernel.h"

/* a / b, or 0 when b is 0. */
static double
ratio(int64_t a, int64_t b)
{
	return b > 0 ? (double) a / (double) b : 0.0;
}

/* The class identifier (as in sdbc.grid_class) for the indicators. */
const char *
grid_class_decide(const grid_indicators *ind, const grid_class_thresholds *t)
{
	if ((double) ind->incidents >= t->min_incidents)
		return "comprehensive_remediation";
	if (ind->key_population > 0 &&
		ratio(ind->key_population, ind->households) >= t->min_key_per_household)
		return "key_attention";
	if ((ind->floating_population > 0 &&
		 ratio(ind->floating_population, ind->residents) >= t->min_floating_share) ||
		(ind->rental_households > 0 &&
		 ratio(ind->rental_households, ind->households) >= t->min_rental_share))
		return "general_prevention";
	return "routine";
}
