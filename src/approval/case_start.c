/*
 * case_start.c — the one way a case on the approval engine begins, for
 * expenses (R3.2, R3.3) and service matters (R4.2) alike.
 */
#include "case_start.h"

#include "sdbc.h"

#include "sqlstates.h"
#include "names.h"
#include "route_cache.h"
#include "spi_plans.h"
#include "engine_write.h"

#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"

/* The case (its id drawn beforehand) and its submission, in one statement. */
static SavedQuery q_new_case_submitted = {
	"WITH c AS (INSERT INTO sdbc.approval_case (case_id, case_kind, division, route_code, route_version, "
	"submitted_by, current_step) OVERRIDING SYSTEM VALUE "
	"VALUES ($6, $7, $1::bigint::sdbc.divcode, $2, $3, $4, $5) RETURNING case_id) "
	"INSERT INTO sdbc.decision (case_id, step_no, actor, verdict) SELECT case_id, 0, $4, 'submit' FROM c",
	7, {INT8OID, TEXTOID, INT4OID, INT8OID, INT4OID, INT8OID, TEXTOID}, NULL};

/*
 * A back-dated case's first step opens on the day of the submission: an
 * update, since step_started_on is among the columns the staff roles may
 * update but not insert (the column defaults to today; issue 13, section 3).
 */
static SavedQuery q_backdate_step = {
	"UPDATE sdbc.approval_case SET step_started_on = $2 WHERE case_id = $1",
	2, {INT8OID, DATEOID}, NULL};

/* The case being submitted by sdbc_case_start_on() in this backend; case_id 0 when none. */
static StartedCase starting;

/* OID of the sequence behind sdbc.approval_case.case_id. */
static Oid
case_sequence(void)
{
	Oid			seq = get_relname_relid("approval_case_case_id_seq", sdbc_schema_oid());

	if (!OidIsValid(seq))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("sequence sdbc.approval_case_case_id_seq does not exist")));
	return seq;
}

/*
 * Start a case: route version, first blocking step, id, case row and
 * submission; its first step opens on started_on, the day of the
 * submission or application (R4.2, R8.1: deadlines run from that day).
 */
int64
sdbc_case_start_on(const char *case_kind, int64 division, const char *route_code,
				   int64 submitted_by, const char *rule, const char *whose_route,
				   DateADT started_on)
{
	int32		version = 0,
				first_step = 0;
	Datum		args[7];

	if (!sdbc_route_latest(route_code, &version, &first_step) || first_step == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_NO_ROUTE),
				 errmsg("route %s version %d has no blocking step", route_code, version),
				 errdetail("Rule %s: a case starts at the first blocking step of the latest version of %s.", rule, whose_route),
				 errhint("Add the steps of version %d to sdbc.route_step, or delete that version.", version)));

	/* the engine draws the id: the staff roles hold no right on the sequence (issue 13, section 3) */
	starting.case_id = nextval_internal(case_sequence(), false);
	starting.division = division;
	starting.route_code = route_code;
	starting.route_version = version;
	starting.submitted_by = submitted_by;
	starting.first_step = first_step;
	starting.started_on = started_on;
	args[0] = Int64GetDatum(division);
	args[1] = CStringGetTextDatum(route_code);
	args[2] = Int32GetDatum(version);
	args[3] = Int64GetDatum(submitted_by);
	args[4] = Int32GetDatum(first_step);
	args[5] = Int64GetDatum(starting.case_id);
	args[6] = CStringGetTextDatum(case_kind);
	PG_TRY();
	{
		sdbc_spi_engine_write(&q_new_case_submitted, args, NULL, 0);
		if (started_on != GetSQLCurrentDate())
		{
			Datum		back[2];

			back[0] = args[5];
			back[1] = DateADTGetDatum(started_on);
			sdbc_spi_engine_write(&q_backdate_step, back, NULL, 0);
		}
	}
	PG_FINALLY();
	{
		starting.case_id = 0;
	}
	PG_END_TRY();
	return DatumGetInt64(args[5]);
}

/* The case being started right now, when case_id is it. */
bool
sdbc_case_just_started(int64 case_id, StartedCase *out)
{
	if (case_id == 0 || case_id != starting.case_id)
		return false;
	*out = starting;
	return true;
}
