/*
 * engine_ids.c — what the engine records is set by the engine, not brought
 * by the client (issue 13, section 3; R3.2, R3.3, R3.4, R4.2).
 *
 *  - Ids: sdbc.expense, sdbc.decision and sdbc.service_application take
 *    their id from their identity sequence.  A client who names the id
 *    (INSERT … OVERRIDING SYSTEM VALUE, or COPY, which ignores GENERATED
 *    ALWAYS) could place a decision before its case's submission, take the
 *    next value of the sequence so that another community's next row fails
 *    with 23505, or make an expense conflict after its trigger had opened a
 *    case (ON CONFLICT DO NOTHING leaves that case open and orphaned).  The
 *    trigger accepts an id only when it is the value this session's
 *    sequence drew last (currval) and no earlier row of this session took
 *    it: exactly what the identity default gives the row.  Anything else is
 *    SD340, whoever inserts (the staff roles cannot name the columns at all:
 *    column privileges, sql/97_roles.sql).  Restores bring their rows
 *    complete (case, hash) and take the restore paths before this check.
 *  - Days: a client names the day of a submission (sdbc.expense.submitted_on,
 *    sdbc.service_application.applied_on) only within policy: never in the
 *    future nor infinite (SD341), earlier than today only for a role that
 *    may back-date (members of sdbc_street_office or sdbc_prefecture_admin,
 *    the table's owner, a superuser; else SD343), and at most policy
 *    <key> days back (SD342).
 *  - The split test of R3.3 (expense_check.c) is serialised per (community,
 *    payee, purpose) by a transaction-level advisory lock.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "divcode.h"
#include "names.h"

#include "engine_ids.h"
#include "policy_cache.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/resowner.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(require_engine_id);
PG_FUNCTION_INFO_V1(require_day_in_policy);

/* First key of the advisory locks of the split test: "SD34" in ASCII. */
#define SPLIT_LOCK_CLASS 0x53443334

/* The last id each identity sequence gave a row of this session. */
typedef struct TakenId
{
	Oid			seq;
	int64		id;
} TakenId;

static TakenId taken[8];
static int	ntaken = 0;

static TakenId *
taken_slot(Oid seq)
{
	for (int i = 0; i < ntaken; i++)
		if (taken[i].seq == seq)
			return &taken[i];
	if (ntaken < (int) lengthof(taken))
	{
		taken[ntaken].seq = seq;
		taken[ntaken].id = 0;
		return &taken[ntaken++];
	}
	/* cannot happen: three tables use this; reuse the last slot */
	taken[ntaken - 1].seq = seq;
	taken[ntaken - 1].id = 0;
	return &taken[ntaken - 1];
}

/*
 * currval(seq) of this session, read as the sequence's owner (the caller
 * needs no privilege on it); false when the session has not drawn from it
 * (55000 of currval, caught in a subtransaction; any other error is raised).
 */
static bool
session_currval(Oid seq, Oid owner, int64 *value)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner resowner = CurrentResourceOwner;
	Oid			save_user;
	int			save_sec;
	volatile bool ok = false;
	volatile int64 v = 0;

	GetUserIdAndSecContext(&save_user, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
		v = DatumGetInt64(DirectFunctionCall1(currval_oid, ObjectIdGetDatum(seq)));
		SetUserIdAndSecContext(save_user, save_sec);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = resowner;
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		SetUserIdAndSecContext(save_user, save_sec);
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = resowner;
		if (edata->sqlerrcode != ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE)
			ReThrowError(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	*value = v;
	return ok;
}

/* SD340 unless id is what the identity default of relid.attnum just drew. */
static void
require_drawn(Oid relid, AttrNumber attnum, Oid owner, int64 id, const char *column)
{
	Oid			seq = getIdentitySequence(relid, attnum, true);
	int64		drawn = 0;
	TakenId    *slot;

	if (!OidIsValid(seq))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("column \"%s\" of %s is not an identity column", column, get_rel_name(relid))));
	slot = taken_slot(seq);

	if (!session_currval(seq, owner, &drawn) || drawn != id || slot->id == id)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_ID_FORGED),
				 errmsg("%s.%s is set by the database, not %lld",
						get_rel_name(relid), column, (long long) id),
				 errdetail("Rules R3.2, R3.3, R4.2: the engine numbers what it records in the order it records it; a chosen id could place a decision before its case's submission, take another community's next number, or leave a case without its expense or application."),
				 errhint("Leave %s out of the INSERT (no OVERRIDING SYSTEM VALUE, no id column in COPY); a restore by a superuser brings complete rows.",
						 column)));
	slot->id = id;
}

/* For the C triggers: the id column of the new row tuple of rel. */
void
sdbc_require_engine_id(Relation rel, HeapTuple tuple, const char *column)
{
	int			attno = sdbc_column_number(rel, column, "sdbc");
	bool		isnull;
	Datum		id;

	id = heap_getattr(tuple, attno, RelationGetDescr(rel), &isnull);
	if (isnull)
		return;					/* the primary key reports it (23502) */
	require_drawn(RelationGetRelid(rel), (AttrNumber) attno, rel->rd_rel->relowner,
				  DatumGetInt64(id), column);
}

/*
 * SQL, for the PL/pgSQL trigger of sdbc.service_application:
 * sdbc.require_engine_id(tbl regclass, id_column text, id bigint) — SD340
 * unless id is what the column's identity default just drew in this
 * session.  NULL id: nothing to check (the primary key reports it).
 */
Datum
require_engine_id(PG_FUNCTION_ARGS)
{
	Oid			relid;
	char	   *column;
	AttrNumber	attnum;
	HeapTuple	tp;
	Oid			owner;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sdbc.require_engine_id: the table and the column must not be NULL")));
	if (PG_ARGISNULL(2))
		PG_RETURN_VOID();
	relid = PG_GETARG_OID(0);
	column = text_to_cstring(PG_GETARG_TEXT_PP(1));
	attnum = get_attnum(relid, column);
	if (attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation %u does not exist", column, relid)));
	tp = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation %u does not exist", relid)));
	owner = ((Form_pg_class) GETSTRUCT(tp))->relowner;
	ReleaseSysCache(tp);
	require_drawn(relid, attnum, owner, PG_GETARG_INT64(2), column);
	PG_RETURN_VOID();
}

/* Whether the current role may name a day before today (see the header). */
static bool
may_backdate(Oid table)
{
	Oid			me = GetUserId();
	Oid			street = get_role_oid("sdbc_street_office", true);
	Oid			prefecture = get_role_oid("sdbc_prefecture_admin", true);

	return superuser() || pg_class_ownercheck(table, me) ||
		(OidIsValid(street) && has_privs_of_role(me, street)) ||
		(OidIsValid(prefecture) && has_privs_of_role(me, prefecture));
}

static char *
day_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/*
 * A day a client names for a submission (column of table, in division):
 * today, or up to policy_key days back by a role that may back-date.  Call
 * inside SPI (the policy cache reads through it).
 */
void
sdbc_require_day_in_policy(DateADT day, int64 division, Oid table, const char *column,
						   const char *policy_key, const char *rule)
{
	DateADT		today = GetSQLCurrentDate();
	int32		max_days;

	if (DATE_NOT_FINITE(day) || day > today)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_DAY_NOT_TODAY),
				 DATE_NOT_FINITE(day) ?
				 errmsg("%s %s is no day of the calendar", column, day_text(day)) :
				 errmsg("%s lies %d day(s) in the future", column, (int) (day - today)),
				 errdetail("Rule %s: the day of a submission is the day it is recorded; a later or infinite day would take it out of the window the split test (R3.3) and the time limits count in.",
						   rule),
				 errhint("Leave %s out of the INSERT (it defaults to today).", column)));
	if (day == today)
		return;
	if (!may_backdate(table))
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_BACKDATE_ROLE),
				 errmsg("role %s may not date %s back (by %d day(s))", GetUserNameFromId(GetUserId(), false),
						column, (int) (today - day)),
				 errdetail("Rule %s: only the street office (sdbc_street_office), the prefecture (sdbc_prefecture_admin) and the administrator record a submission made on an earlier day.",
						   rule),
				 errhint("Leave %s out of the INSERT (today), or let the street office record it.", column)));
	max_days = DatumGetInt32(DirectFunctionCall1(numeric_int4,
												 NumericGetDatum(sdbc_policy_required(policy_key, true, division, today))));
	if (today - day > max_days)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_BACKDATE_TOO_FAR),
				 errmsg("%s is dated %d day(s) back, more than the %d of policy \"%s\"",
						column, (int) (today - day), max_days, policy_key),
				 errdetail("Rule %s: a submission is dated back at most policy %s days (a local default, not in the paper); an older date would dodge the split test (R3.3) and the time limits.",
						   rule, policy_key),
				 errhint("Date it at most %d days back, or leave %s out of the INSERT (today).", max_days, column)));
}

/*
 * SQL, for the PL/pgSQL trigger of sdbc.service_application:
 * sdbc.require_day_in_policy(day, division, tbl, day_column, policy_key, rule).
 * NULL day: nothing to check (the NOT NULL constraint reports it).
 */
Datum
require_day_in_policy(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	for (int i = 1; i < 6; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sdbc.require_day_in_policy: argument %d must not be NULL", i + 1)));
	SPI_connect();
	sdbc_require_day_in_policy(PG_GETARG_DATEADT(0), PG_GETARG_DIVCODE(1), PG_GETARG_OID(2),
							   text_to_cstring(PG_GETARG_TEXT_PP(3)),
							   text_to_cstring(PG_GETARG_TEXT_PP(4)),
							   text_to_cstring(PG_GETARG_TEXT_PP(5)));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * The split test of R3.3 adds up the expenses of a community to one payee
 * for one purpose: two sessions submitting at once would each miss the
 * other's.  A transaction-level advisory lock on a hash of that key makes
 * the second wait until the first commits or rolls back (a hash collision
 * only serialises two unrelated keys).
 */
void
sdbc_split_lock(int64 community, const char *payee, const char *purpose)
{
	uint32		h = hash_bytes_uint32((uint32) community) ^ hash_bytes_uint32((uint32) (community >> 32));

	h = hash_combine(h, hash_bytes((const unsigned char *) payee, (int) strlen(payee)));
	h = hash_combine(h, hash_bytes((const unsigned char *) purpose, (int) strlen(purpose)));
	(void) DirectFunctionCall2(pg_advisory_xact_lock_int4, Int32GetDatum(SPLIT_LOCK_CLASS),
							   Int32GetDatum((int32) h));
}

/*
 * A row that arrives complete is a restore: accepted as is for a superuser
 * (the rows it refers to come back as they were dumped); refused for
 * anyone else with the caller's SQLSTATE and texts.  False when the row is
 * not complete.  The one copy of this check (issue 14 §2); it replaces the
 * PL/pgSQL one of sdbc.service_application.
 */
bool
sdbc_restore_accepted(bool arrives_complete, int sqlstate, const char *message,
					  const char *detail, const char *hint)
{
	if (!arrives_complete)
		return false;
	if (superuser())
		return true;
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg_internal("%s", message),
			 errdetail_internal("%s", detail),
			 errhint("%s", hint)));
	return false;				/* not reached */
}
