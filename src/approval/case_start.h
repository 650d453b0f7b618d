/*
 * case_start.h — how every case on the approval engine begins, whatever its
 * kind (R3.2, R3.3 expenses; R4.2 service matters): the latest version of
 * the chosen route, its first blocking step, an id the engine draws, the
 * case row and its submission decision, written in one statement.
 *
 * While that submission is inserted, the decision trigger may ask which
 * case was just started (sdbc_case_just_started): nobody else can see the
 * row yet, so its state is known without reading or locking it again.
 */
#ifndef SDBC_CASE_START_H
#define SDBC_CASE_START_H

#include "sdbc.h"

#include "utils/date.h"

/* A case as the engine started it, before any decision but the submission. */
typedef struct StartedCase
{
	int64		case_id;
	int64		division;
	const char *route_code;
	int32		route_version;
	int64		submitted_by;
	int32		first_step;
	DateADT		started_on;		/* day its first step opened */
} StartedCase;

/*
 * Start a case of case_kind ('expense' or 'service') for division on
 * route_code, submitted by submitted_by; rule names the rule for the SD311
 * message, whose_route the route in its detail ("its route", "its matter's
 * route").  Inside SPI (the caller has connected).  Returns the case id.
 * Its first step opens on started_on: the day of the submission or
 * application, which the street office may back-date within policy (R4.2,
 * R8.1: working-day deadlines run from the day the resident applied).
 */
extern int64 sdbc_case_start_on(const char *case_kind, int64 division, const char *route_code,
								int64 submitted_by, const char *rule, const char *whose_route,
								DateADT started_on);

/*
 * True, with *out filled, when case_id is the case sdbc_case_start_on() is
 * submitting right now in this backend.
 */
extern bool sdbc_case_just_started(int64 case_id, StartedCase *out);

#endif							/* SDBC_CASE_START_H */
