/*
 * working_days.h — working-day arithmetic by a division's calendar
 * (sdbc.calendar_day, cached per backend) for the C glue.
 */
#ifndef SDBC_WORKING_DAYS_H
#define SDBC_WORKING_DAYS_H

#include "postgres.h"

#include "utils/date.h"

/* Register the cache; called once from _PG_init (module.c). */
extern void sdbc_calendar_cache_init(void);

/* The n-th working day after d in the division's calendar (0: the nation's); d for n <= 0. */
extern DateADT sdbc_add_working_days(DateADT d, int32 n, int64 division);

#endif							/* SDBC_WORKING_DAYS_H */
