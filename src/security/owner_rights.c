/*
 * owner_rights.c — the one way the glue switches to the owner of the
 * extension's tables and back (rule_checks.c, delete_rows.c,
 * id_registration.c): a security-restricted operation, so the code run
 * cannot change the session, and the caller's identity restored on any exit.
 */
#include "sdbc.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "owner_rights.h"

/* The owner of a relation. */
Oid
sdbc_relation_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("sdbc: relation %u does not exist", relid)));
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* The owner of the extension's table relname (schema sdbc). */
Oid
sdbc_table_owner(const char *relname)
{
	Oid			relid = get_relname_relid(relname, get_namespace_oid("sdbc", false));

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("sdbc.%s does not exist", relname)));
	return sdbc_relation_owner(relid);
}

/* Call fn(arg) with the owner's rights; back to the caller on any exit. */
void
sdbc_as_owner(Oid owner, void (*fn) (void *arg), void *arg)
{
	Oid			save_user;
	int			save_sec;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		fn(arg);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
}
