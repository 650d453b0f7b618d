/*
 * id_registration.c — community staff enter a resident's identity number
 * without learning whether a number of their choosing is registered
 * elsewhere (R9.1, docs/security.md).
 *
 * The staff roles may not write sdbc.resident.id_number directly: a unique
 * violation would answer "is this number registered anywhere" for any number
 * they try, and with the masked number and the age the rest of a neighbour's
 * number is a few dozen guesses.  They call sdbc.resident_set_id_number():
 *   - as the caller: the resident must be one the caller sees (row-level
 *     security), else SD701;
 *   - as the table's owner: the number is written when no other resident
 *     holds it; otherwise it is not written and nothing is said — it is
 *     recorded in sdbc.id_number_attempt (outcome held_elsewhere) for the HR
 *     office (sdbc_id_reader) to resolve, and sdbc.resident_masked shows it
 *     to staff as entered.  The answer is the same either way and nothing
 *     the caller may read differs, so rolling back and trying again teaches
 *     nothing either; the resident's row is locked and written on both
 *     paths (a lock the caller holds on it answers nothing), and a unique
 *     violation — the number committed after a REPEATABLE READ snapshot, or
 *     by a concurrent writer — counts as held, inside a subtransaction.
 * It is C, not SECURITY DEFINER SQL, so that it knows its caller (inside a
 * SECURITY DEFINER function current_user is the owner) and switches to the
 * owner only for the part that needs it.
 */
#include "sdbc.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/resowner.h"
#include "utils/syscache.h"

#include "spi_plans.h"

PG_FUNCTION_INFO_V1(resident_set_id_number);

static SavedQuery q_visible = {
	"SELECT h.community::bigint FROM sdbc.resident r JOIN sdbc.household h ON h.household_id = r.household_id "
	"WHERE r.resident_id = $1", 1, {INT8OID}, NULL};
/* Set the number unless another resident holds it (as far as this snapshot shows). */
static SavedQuery q_set_unless_held = {
	"UPDATE sdbc.resident r SET id_number = CASE WHEN EXISTS (SELECT 1 FROM sdbc.resident o "
	"WHERE o.id_number = $2 AND o.resident_id <> $1) THEN r.id_number ELSE $2 END "
	"WHERE r.resident_id = $1 RETURNING r.id_number IS NOT DISTINCT FROM $2",
	2, {INT8OID, InvalidOid}, NULL};
/* The same write of the row without the number (after a unique violation). */
static SavedQuery q_touch = {
	"UPDATE sdbc.resident SET id_number = id_number WHERE resident_id = $1", 1, {INT8OID}, NULL};
static SavedQuery q_attempt = {
	"INSERT INTO sdbc.id_number_attempt (role_name, resident_id, community, id_number, outcome) "
	"VALUES ($1, $2, $3::sdbc.divcode, $4, $5)", 5, {NAMEOID, INT8OID, INT8OID, InvalidOid, TEXTOID}, NULL};

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
 * Write the number in a subtransaction; false when another resident holds
 * it — seen by the statement, or met as a unique violation (a number
 * committed after this transaction's snapshot at REPEATABLE READ, or by a
 * writer running at the same time, whose commit this one waited for).
 * Either way the resident's row is locked and written once, so that a lock
 * held on it by the caller answers nothing either.
 */
static bool
write_unless_held(Datum *args)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool written = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		bool		isnull;

		if (sdbc_spi_run(&q_set_unless_held, args, NULL, false, 1) > 0)
			written = DatumGetBool(sdbc_spi_value(0, 1, &isnull));
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION)
			ReThrowError(edata);
		FreeErrorData(edata);
		written = false;
		sdbc_spi_run(&q_touch, args, NULL, false, 0);
	}
	PG_END_TRY();
	return written;
}

/* The part that runs as the owner: write the number, or record it as held elsewhere. */
static void
set_as_owner(Name caller, int64 resident_id, int64 community, Datum id_number)
{
	Datum		args[5];
	const char *outcome;

	args[0] = Int64GetDatum(resident_id);
	args[1] = id_number;
	outcome = write_unless_held(args) ? "set" : "held_elsewhere";
	args[0] = NameGetDatum(caller);
	args[1] = Int64GetDatum(resident_id);
	args[2] = Int64GetDatum(community);
	args[3] = id_number;
	args[4] = CStringGetTextDatum(outcome);
	sdbc_spi_run(&q_attempt, args, NULL, false, 0);
}

/* SQL: sdbc.resident_set_id_number(resident_id, id_number) → void. */
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

	if (!OidIsValid(idcard_type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sdbc.resident_set_id_number: the type of the identity number is unknown")));
	q_set_unless_held.argtypes[1] = q_attempt.argtypes[3] = idcard_type;
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
		set_as_owner(&caller, resident_id, community, id_number);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_VOID();
}
