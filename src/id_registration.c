/*
 * id_registration.c — community staff record a resident's identity number
 * without learning whether a number of their choosing is registered
 * elsewhere by trial and error (R9.1, docs/security.md).
 *
 * The staff roles may not write sdbc.resident.id_number directly: a unique
 * violation would answer "is this number registered anywhere" for any number
 * they try, and with the masked number and the age the rest of a neighbour's
 * number is a few dozen guesses.  They call sdbc.resident_set_id_number():
 *   - as the caller: the resident must be one the caller sees (row-level
 *     security), else SD701;
 *   - as the table's owner: a number already registered to another resident
 *     is not written and not an error — the attempt is recorded in
 *     sdbc.id_number_attempt, which the street and county read, and the
 *     function answers 'registered_elsewhere' without saying where; after
 *     policy registry.id_elsewhere.max_per_day such answers in a day the
 *     caller is refused (SD702) until the next day.
 * It is C, not SECURITY DEFINER SQL, so that it knows its caller (inside a
 * SECURITY DEFINER function current_user is the owner) and switches to the
 * owner only for the part that needs it.
 */
#include "sdbc.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "spi_plans.h"

PG_FUNCTION_INFO_V1(resident_set_id_number);

static SavedQuery q_visible = {
	"SELECT h.community::bigint FROM sdbc.resident r JOIN sdbc.household h ON h.household_id = r.household_id "
	"WHERE r.resident_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_elsewhere_today = {
	"SELECT count(*), sdbc.policy_value('registry.id_elsewhere.max_per_day', $2::sdbc.divcode) "
	"FROM sdbc.id_number_attempt WHERE role_name = $1 AND outcome = 'registered_elsewhere' "
	"AND attempted_at >= CURRENT_DATE", 2, {NAMEOID, INT8OID}, NULL};
static SavedQuery q_taken = {
	"SELECT 1 FROM sdbc.resident WHERE id_number = $2 AND resident_id <> $1", 2, {INT8OID, InvalidOid}, NULL};
static SavedQuery q_set = {
	"UPDATE sdbc.resident SET id_number = $2 WHERE resident_id = $1", 2, {INT8OID, InvalidOid}, NULL};
static SavedQuery q_attempt = {
	"INSERT INTO sdbc.id_number_attempt (role_name, resident_id, community, outcome) "
	"VALUES ($1, $2, $3::sdbc.divcode, $4)", 4, {NAMEOID, INT8OID, INT8OID, TEXTOID}, NULL};

/* The owner of a table. */
static Oid
table_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("sdbc: table %u not found", relid)));
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * The part that runs as the owner: refuse past the day's limit, record a
 * number taken elsewhere, or set it.  Returns the outcome.
 */
static const char *
set_as_owner(Name caller, int64 resident_id, int64 community, Datum id_number)
{
	Datum		args[4];
	bool		isnull;
	bool		limit_null;
	int64		elsewhere;
	Datum		limit;
	const char *outcome;

	args[0] = NameGetDatum(caller);
	args[1] = Int64GetDatum(community);
	sdbc_spi_run(&q_elsewhere_today, args, NULL, false, 1);
	elsewhere = DatumGetInt64(sdbc_spi_value(0, 1, &isnull));
	limit = sdbc_spi_value(0, 2, &limit_null);
	if (!limit_null &&
		DatumGetBool(DirectFunctionCall2(numeric_ge,
										 DirectFunctionCall1(int8_numeric, Int64GetDatum(elsewhere)),
										 limit)))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_ID_ATTEMPTS),
				 errmsg("role %s has met %lld identity numbers registered to other residents today",
						NameStr(*caller), (long long) elsewhere),
				 errdetail("Rule R9.1: records are updated by those who serve the residents; numbers tried one after another would reveal who is registered (policy registry.id_elsewhere.max_per_day)."),
				 errhint("Ask the street or county office (sdbc_id_reader) to resolve the duplicates in sdbc.id_number_attempt; the limit resets tomorrow.")));

	args[0] = Int64GetDatum(resident_id);
	args[1] = id_number;
	if (sdbc_spi_run(&q_taken, args, NULL, false, 1) > 0)
		outcome = "registered_elsewhere";
	else
	{
		sdbc_spi_run(&q_set, args, NULL, false, 0);
		outcome = "set";
	}
	args[0] = NameGetDatum(caller);
	args[1] = Int64GetDatum(resident_id);
	args[2] = Int64GetDatum(community);
	args[3] = CStringGetTextDatum(outcome);
	sdbc_spi_run(&q_attempt, args, NULL, false, 0);
	return outcome;
}

/* SQL: sdbc.resident_set_id_number(resident_id, id_number) → 'set' or 'registered_elsewhere'. */
Datum
resident_set_id_number(PG_FUNCTION_ARGS)
{
	int64		resident_id = PG_GETARG_INT64(0);
	Datum		id_number = PG_GETARG_DATUM(1);
	Oid			idcard_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	Oid			resident_table = get_relname_relid("resident", get_namespace_oid("sdbc", false));
	Oid			save_user;
	int			save_sec;
	NameData	caller;
	Datum		arg = Int64GetDatum(resident_id);
	bool		isnull;
	int64		community;
	const char *volatile outcome = NULL;

	if (!OidIsValid(idcard_type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sdbc.resident_set_id_number: the type of the identity number is unknown")));
	q_taken.argtypes[1] = q_set.argtypes[1] = idcard_type;
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

	/* as the owner of sdbc.resident: what the caller may not read or write */
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(table_owner(resident_table),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		outcome = set_as_owner(&caller, resident_id, community, id_number);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(outcome));
}
