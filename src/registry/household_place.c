/*
 * household_place.c — BEFORE ROW trigger on sdbc.household (R7.4).
 *
 * A household takes the community of its building, whatever the client
 * wrote; its grid is the building's (sdbc.household_placed).  It is the
 * per-row path of household registration, so it is in C with a saved plan:
 * one index lookup of the building per row.
 */
#include "sdbc.h"

#include "trigger_guard.h"
#include "names.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/rel.h"

#include "spi_plans.h"

PG_FUNCTION_INFO_V1(household_place);

/* The building's community (saved plan, src/spi_plans.c). */
static SavedQuery q_building = {
	"SELECT community FROM sdbc.building WHERE building_id OPERATOR(pg_catalog.=) $1", 1, {INT8OID}, NULL};

/* BEFORE INSERT OR UPDATE row trigger: copy the community from the building. */
Datum
household_place(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	HeapTuple	tuple;
	Datum		building;
	bool		isnull;
	int			cols[1];
	Datum		values[1];
	bool		nulls[1];

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sdbc.household_place must be a BEFORE INSERT or UPDATE row trigger")));
	sdbc_trigger_only_on(td, "household_place", (const char *const[]) {"household", NULL});
	rel = td->tg_relation;
	tuple = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;

	building = heap_getattr(tuple, sdbc_column_number(rel, "building_id", "sdbc.household_place"), RelationGetDescr(rel), &isnull);
	if (isnull)
		return PointerGetDatum(tuple);	/* NOT NULL reports it */

	SPI_connect();
	if (sdbc_spi_run(&q_building, &building, NULL, true, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("building %lld does not exist", (long long) DatumGetInt64(building)),
				 errdetail("Rule R7.4: a household lives in a registered building, and belongs to that building's grid."),
				 errhint("Insert the building into sdbc.building first.")));
	cols[0] = sdbc_column_number(rel, "community", "sdbc.household_place");
	values[0] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &nulls[0]);
	/* a by-value int8, safe to use after SPI_finish */
	SPI_finish();

	tuple = heap_modify_tuple_by_cols(tuple, RelationGetDescr(rel), 1, cols, values, nulls);
	return PointerGetDatum(tuple);
}
