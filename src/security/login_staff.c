/*
 * login_staff.c — a login acts only as the person it is (R3.2, R3.3, R4.1).
 *
 * The approval engine records who acted (decision.actor, expense.paid_by);
 * the four-eyes rule and the offices are checked for that person.  So that a
 * login cannot sign in the name of others, sdbc.role_staff maps each login
 * role to the staff member it is, and the engine's triggers check that the
 * person recorded is the current role's.  A row with staff_id NULL marks a
 * role that may record anyone (an application server that authenticates its
 * users itself).  Superusers and the owner of the table (restores, batch
 * work of the administrator) are not checked.
 */
#include "sdbc.h"

#include "sqlstates.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "login_staff.h"
#include "null_guard.h"
#include "spi_plans.h"

PG_FUNCTION_INFO_V1(check_login_is);
PG_FUNCTION_INFO_V1(acting_role);

static SavedQuery q_role_staff = {
	"SELECT staff_id FROM sdbc.role_staff WHERE role_name OPERATOR(pg_catalog.=) $1", 1, {NAMEOID}, NULL};

/*
 * The role that acts for the session (see the head of this file): the session
 * user, or the outer role (current_user outside SECURITY DEFINER functions)
 * when a superuser or a member of sdbc_pool set it; InvalidOid for a session
 * whose login set a role of another person itself.
 */
static Oid
sdbc_acting_role(void)
{
	Oid			session = GetSessionUserId();
	Oid			outer = GetOuterUserId();
	Oid			pool;

	if (outer == session || superuser_arg(session))
		return outer;
	pool = get_role_oid("sdbc_pool", true);
	if (OidIsValid(pool) && is_member_of_role_nosuper(session, pool))
		return outer;
	return InvalidOid;
}

/* Raise SD317 for a session that acts as nobody (sdbc_acting_role). */
static void
refuse_set_role(const char *doing)
{
	const char *session = GetUserNameFromId(GetSessionUserId(), false);
	const char *outer = GetUserNameFromId(GetOuterUserId(), false);

	ereport(ERROR,
			(errcode(ERRCODE_SDBC_LOGIN_UNMAPPED),
			 errmsg("login %s has set role %s, so it acts as nobody and cannot %s", session, outer, doing),
			 errdetail("Rules R3.2, R3.3, R4.1, R7.3, R12.2: the person who acts is the session's login (sdbc.role_staff); a role reached by SET ROLE or SET SESSION AUTHORIZATION is another person's unless a trusted connection pool (a member of sdbc_pool) set it."),
			 errhint("RESET ROLE and act as yourself, or let %s act through his own login.", outer)));
}

/*
 * Refuse unless the acting role is staff_id (or may record anyone): SD317
 * for a role without a mapping, SD318 for one mapped to another person.
 * table: the table written, whose owner is not checked.  Call inside SPI.
 */
void
sdbc_check_login_is(Oid table, int64 staff_id, const char *doing)
{
	Oid			me = GetUserId();
	Oid			actor;
	const char *login;
	NameData	name;
	Datum		arg;
	bool		isnull;
	Datum		mapped;

	if (superuser() || pg_class_ownercheck(table, me))
		return;
	actor = sdbc_acting_role();
	if (!OidIsValid(actor))
		refuse_set_role(doing);
	login = GetUserNameFromId(actor, false);
	namestrcpy(&name, login);
	arg = NameGetDatum(&name);
	if (sdbc_spi_run(&q_role_staff, &arg, NULL, false, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_LOGIN_UNMAPPED),
				 errmsg("role %s is not mapped to a staff member, so it cannot %s", login, doing),
				 errdetail("Rules R3.2, R3.3, R4.1, R7.3, R12.2: the database records who acted (approvals, applications, absences, visits), and a login acts only as the person it is (sdbc.role_staff)."),
				 errhint("The administrator maps the login: INSERT INTO sdbc.role_staff (role_name, staff_id) VALUES ('%s', <staff_id>).",
						 login)));
	mapped = sdbc_spi_value(0, 1, &isnull);
	if (!isnull && DatumGetInt64(mapped) != staff_id)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_LOGIN_OTHER_PERSON),
				 errmsg("role %s is staff %lld and cannot %s as staff %lld", login,
						(long long) DatumGetInt64(mapped), doing, (long long) staff_id),
				 errdetail("Rules R3.2, R3.3, R4.1, R7.3, R12.2: a login acts only as the person it is (sdbc.role_staff); the four-eyes rule counts persons, and a visit or absence is its author's."),
				 errhint("Act as staff %lld, or let staff %lld act through his own login.",
						 (long long) DatumGetInt64(mapped), (long long) staff_id)));
}

/*
 * SQL: sdbc.check_login_is(tbl regclass, staff_id bigint, doing text) — for
 * the PL/pgSQL triggers that record a person (visits, absences): the same
 * check, and a NULL person is refused to a role that is not the owner or a
 * superuser (SD317: the act must name its author).
 */
Datum
check_login_is(PG_FUNCTION_ARGS)
{
	Oid			table;
	const char *doing = PG_ARGISNULL(2) ? "record this" : text_to_cstring(PG_GETARG_TEXT_PP(2));

	sdbc_required_argument(PG_ARGISNULL(0), "sdbc.check_login_is", "table", "R3.2");
	table = PG_GETARG_OID(0);
	if (PG_ARGISNULL(1))
	{
		if (superuser() || pg_class_ownercheck(table, GetUserId()))
			PG_RETURN_VOID();
		if (!OidIsValid(sdbc_acting_role()))
			refuse_set_role(doing);
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_LOGIN_UNMAPPED),
				 errmsg("role %s must name the staff member who did it to %s", GetUserNameFromId(GetUserId(), false), doing),
				 errdetail("Rules R3.2, R7.3, R12.2: a record of what a person did names that person, the login's own (sdbc.role_staff)."),
				 errhint("Give the staff member; a login mapped to one person may leave it to the database.")));
	}
	SPI_connect();
	sdbc_check_login_is(table, PG_GETARG_INT64(1), doing);
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * SQL: sdbc.acting_role() — the name of the role that acts for the session
 * (sdbc_acting_role); NULL when the session's login set another person's role
 * itself, so that sdbc.my_staff_id() finds no one.
 */
Datum
acting_role(PG_FUNCTION_ARGS)
{
	Oid			actor = sdbc_acting_role();
	Name		result;

	if (!OidIsValid(actor))
		PG_RETURN_NULL();
	result = (Name) palloc0(NAMEDATALEN);
	namestrcpy(result, GetUserNameFromId(actor, false));
	PG_RETURN_NAME(result);
}
