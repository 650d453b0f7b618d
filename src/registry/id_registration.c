/*
 * id_registration.c — community staff enter a resident's identity number
 * without learning whether a number of their choosing is registered
 * elsewhere (R9.1, docs/security.md).
 *
 * The staff roles may not write sdbc.resident.id_number directly: a unique
 * violation would answer "is this number registered anywhere" for any number
 * they try, and with the masked number and the age the rest of a neighbour's
 * number is a few dozen guesses.  Nor may anything in the caller's
 * transaction depend on the number: reviews showed that a lock wait on the
 * unique index, a REPEATABLE READ snapshot, or the statistics views
 * (HOT updates, index fetches) tell a free number from a held one.  So
 * sdbc.resident_set_id_number() only
 *   - checks, as the caller, that the resident is one he sees (SD701), and
 *   - records the number, as the table's owner, in sdbc.id_number_attempt
 *     with outcome 'pending' — the same insert for every number.
 * sdbc.resident_masked shows staff the pending number at once.  The number
 * is checked against the registry later, in a transaction of the HR office
 * (sdbc_id_reader) or the administrator: sdbc.id_numbers_apply() writes it,
 * or marks it held_elsewhere.
 * It is C, not SECURITY DEFINER SQL, so that it knows its caller (inside a
 * SECURITY DEFINER function current_user is the owner) and switches to the
 * owner only for the insert.
 */
#include "sdbc.h"

#include "sqlstates.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "owner_rights.h"
#include "spi_plans.h"

PG_FUNCTION_INFO_V1(resident_set_id_number);

static SavedQuery q_visible = {
	"SELECT h.community::bigint FROM sdbc.resident r JOIN sdbc.household h ON h.household_id = r.household_id "
	"WHERE r.resident_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_attempt = {
	"INSERT INTO sdbc.id_number_attempt (role_name, resident_id, community, id_number, outcome) "
	"VALUES ($1, $2, $3::sdbc.divcode, $4, 'pending')", 4, {NAMEOID, INT8OID, INT8OID, InvalidOid}, NULL};

/* The part that runs as the owner: record the number as pending. */
static void
record_as_owner(void *arg)
{
	sdbc_spi_run(&q_attempt, (Datum *) arg, NULL, false, 0);
}

/* SQL: sdbc.resident_set_id_number(resident_id, id_number) → void. */
Datum
resident_set_id_number(PG_FUNCTION_ARGS)
{
	int64		resident_id = PG_GETARG_INT64(0);
	Datum		id_number = PG_GETARG_DATUM(1);
	Oid			idcard_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			resident_table = get_relname_relid("resident", get_namespace_oid("sdbc", false));
	Datum		attempt[4];
	NameData	caller;
	Datum		arg = Int64GetDatum(resident_id);
	bool		isnull;
	int64		community;

	if (!OidIsValid(idcard_type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sdbc.resident_set_id_number: the type of the identity number is unknown")));
	q_attempt.argtypes[3] = idcard_type;
	namestrcpy(&caller, GetUserNameFromId(GetUserId(), false));

	SPI_connect();
	/* as the caller: the resident must be one he sees */
	if (sdbc_spi_run(&q_visible, &arg, NULL, true, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_RESIDENT_NOT_SERVED),
				 errmsg("resident %lld is not one role %s serves", (long long) resident_id, NameStr(caller)),
				 errdetail("Rule R9.1: a resident's record is kept by the community that serves him (sdbc.role_division)."),
				 errhint("Register the resident in a household of your community first (sdbc.resident).")));
	community = DatumGetInt64(sdbc_spi_value(0, 1, &isnull));

	/* as the owner of sdbc.resident: the record the caller may not write or read */
	attempt[0] = NameGetDatum(&caller);
	attempt[1] = Int64GetDatum(resident_id);
	attempt[2] = Int64GetDatum(community);
	attempt[3] = id_number;
	sdbc_as_owner(sdbc_relation_owner(resident_table), record_as_owner, attempt);
	SPI_finish();
	PG_RETURN_VOID();
}
