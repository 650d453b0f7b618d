/*
 * test_grid_class.c — unit tests of the R7.2 grid-class kernel.
 */
#include "grid_class_kernel.h"
#include "tap.h"

int
main(void)
{
	grid_class_thresholds t = {10, 0.02, 0.15, 0.15};
	grid_indicators quiet = {250, 700, 1, 20, 10, 0};
	grid_indicators busy = quiet,
				keyed = quiet,
				floating = quiet,
				rental = quiet,
				empty = {0, 0, 0, 0, 0, 0};

	busy.incidents = 10;
	keyed.key_population = 5;		/* 5 / 250 = 0.02 */
	floating.floating_population = 105;	/* 105 / 700 = 0.15 */
	rental.rental_households = 38;	/* 38 / 250 = 0.152 */

	is_str(grid_class_decide(&quiet, &t), "routine", "few of everything: routine 日常管理型");
	is_str(grid_class_decide(&busy, &t), "comprehensive_remediation", "10 incidents: comprehensive remediation 综合整治型");
	is_str(grid_class_decide(&keyed, &t), "key_attention", "2 key persons per 100 households: key attention 重点关注型");
	is_str(grid_class_decide(&floating, &t), "general_prevention", "15 % floating: general prevention 一般防范型");
	is_str(grid_class_decide(&rental, &t), "general_prevention", "15.2 % rental: general prevention");
	is_str(grid_class_decide(&empty, &t), "routine", "an empty grid is routine (no division by zero)");
	busy.key_population = 50;
	is_str(grid_class_decide(&busy, &t), "comprehensive_remediation", "incidents outrank key population");
	keyed.floating_population = 400;
	is_str(grid_class_decide(&keyed, &t), "key_attention", "key population outranks floating");
	t.min_incidents = 11;
	busy.key_population = 1;
	is_str(grid_class_decide(&busy, &t), "routine", "a raised threshold (policy) changes the class");
	return done_testing();
}
