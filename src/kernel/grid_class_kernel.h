/*
 * grid_class_kernel.h — class a grid from its indicators (R7.2), plain C.
 */
#ifndef SDBC_GRID_CLASS_KERNEL_H
#define SDBC_GRID_CLASS_KERNEL_H

#include <stdint.h>

/* What a grid is classed on. */
typedef struct grid_indicators
{
	int64_t		households;
	int64_t		residents;
	int64_t		key_population;
	int64_t		floating_population;
	int64_t		rental_households;
	int64_t		incidents;		/* in the last 365 days */
} grid_indicators;

/* Thresholds, from policy. */
typedef struct grid_class_thresholds
{
	double		min_incidents;				/* comprehensive remediation */
	double		min_key_per_household;		/* key attention */
	double		min_floating_share;			/* general prevention */
	double		min_rental_share;			/* general prevention */
} grid_class_thresholds;

extern const char *grid_class_decide(const grid_indicators *ind,
									 const grid_class_thresholds *t);

#endif							/* SDBC_GRID_CLASS_KERNEL_H */
