/*
 * delete_rows.c — deletes by staff without a table-level DELETE privilege
 * (issue 13 section 5, docs/security.md "One community cannot hold up the
 * others").
 *
 * PostgreSQL 15 lets a role that holds table-level UPDATE, DELETE or
 * TRUNCATE lock the table in any mode (LockTableAclCheck), so a staff login
 * with DELETE could LOCK TABLE a table shared by every community IN ACCESS
 * EXCLUSIVE MODE and hold all of them up.  The staff roles therefore hold no
 * DELETE; the rights they had are rows of sdbc.delete_right, and they delete
 * with sdbc.delete_rows(table, condition):
 *   1. as the caller: the primary keys of the rows of the condition (the
 *      caller's own query, run with his rights, so it can only narrow the
 *      set; staff may not read ctid, a system column, without table-level
 *      SELECT);
 *   2. as the caller: of those, the rows he sees that the table's DELETE
 *      policies for his roles let him delete (the expressions of pg_policy,
 *      permissive ones or'ed, restrictive ones and'ed — what DELETE with
 *      row-level security checks);
 *   3. as the table's owner: lock those rows (FOR UPDATE), then check 2
 *      again as the caller on what is now locked, and delete exactly the
 *      locked row versions that pass.
 * Triggers of the delete run with the owner's rights, like the engine's.
 */
#include "sdbc.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "access/htup_details.h"

#include "owner_rights.h"

PG_FUNCTION_INFO_V1(delete_rows);

/* A statement and its arguments, and SPI's result code (spi_as_owner). */
typedef struct OwnerStatement
{
	const char *sql;
	int			nargs;
	Oid		   *types;
	Datum	   *values;
	int			rc;
} OwnerStatement;

/* Run one OwnerStatement (called as the owner). */
static void
owner_statement_run(void *arg)
{
	OwnerStatement *st = (OwnerStatement *) arg;

	st->rc = SPI_execute_with_args(st->sql, st->nargs, st->types, st->values, NULL, false, 0);
}

/* Run sql through SPI as the table's owner; returns SPI's result code. */
static int
spi_as_owner(Oid owner, const char *sql, int nargs, Oid *types, Datum *values)
{
	OwnerStatement st = {sql, nargs, types, values, 0};

	sdbc_as_owner(owner, owner_statement_run, &st);
	return st.rc;
}

/* The value (of type want) of the one row sql returned (SPI result rc), or NULL. */
static Datum
one_value(int rc, Oid want, bool *isnull)
{
	Datum		d;

	if (rc != SPI_OK_SELECT || SPI_processed != 1 || SPI_tuptable->tupdesc->natts != 1 ||
		SPI_gettypeid(SPI_tuptable->tupdesc, 1) != want)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("sdbc.delete_rows: the condition must be a WHERE condition of the table")));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, isnull);
	return *isnull ? (Datum) 0 : SPI_datumTransfer(d, false, -1);
}

/* Run sql as the current user (the caller); the value of its one row, or NULL. */
static Datum
value_of(const char *sql, int nargs, Oid *types, Datum *values, Oid want, bool *isnull)
{
	return one_value(SPI_execute_with_args(sql, nargs, types, values, NULL, false, 0), want, isnull);
}

/* pg_catalog.jsonb_build_array(<the primary key's columns>) of tbl, or error. */
static char *
key_expression(Oid tbl, const char *qname)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	bool		isnull;
	Datum		d;

	args[0] = ObjectIdGetDatum(tbl);
	if (SPI_execute_with_args("SELECT 'pg_catalog.jsonb_build_array(' OPERATOR(pg_catalog.||) "
							  "pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY k.n) OPERATOR(pg_catalog.||) ')' "
							  "FROM pg_catalog.pg_index i CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY k(attnum, n) "
							  "JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid AND a.attnum OPERATOR(pg_catalog.=) k.attnum "
							  "WHERE i.indrelid OPERATOR(pg_catalog.=) $1 AND i.indisprimary",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("sdbc.delete_rows: reading the primary key failed")));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sdbc.delete_rows: table %s has no primary key", qname)));
	return TextDatumGetCString(d);
}

Datum
delete_rows(PG_FUNCTION_ARGS)
{
	Oid			tbl;
	const char *cond;
	Oid			me = GetUserId();
	Oid			owner;
	const char *qname;
	bool		unfiltered;
	StringInfoData sql;
	StringInfoData check;
	char	   *key;
	Datum		keys;
	Datum		tids;
	bool		isnull;
	Oid			argtypes[3] = {OIDOID, JSONBOID, TIDARRAYOID};
	Datum		args[3];
	char	   *policies;
	uint64		n;
	HeapTuple	tup;
	Form_pg_class cls;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sdbc.delete_rows: the table is NULL")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sdbc.delete_rows: the condition is NULL"),
				 errhint("Give a WHERE condition of the table, e.g. 'building_id = 1'; 'true' for every row you may delete.")));
	tbl = PG_GETARG_OID(0);
	cond = text_to_cstring(PG_GETARG_TEXT_PP(1));

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(tbl));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("sdbc.delete_rows: relation %u does not exist", tbl)));
	cls = (Form_pg_class) GETSTRUCT(tup);
	if (cls->relnamespace != get_namespace_oid("sdbc", false) || cls->relkind != RELKIND_RELATION)
	{
		ReleaseSysCache(tup);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("sdbc.delete_rows deletes only from tables of schema sdbc")));
	}
	owner = cls->relowner;
	unfiltered = !cls->relrowsecurity;
	ReleaseSysCache(tup);
	qname = quote_qualified_identifier("sdbc", get_rel_name(tbl));
	/* the table's owner, superusers and BYPASSRLS roles: as a plain DELETE */
	if (superuser() || pg_class_ownercheck(tbl, me) || has_bypassrls_privilege(me))
		unfiltered = true;

	SPI_connect();
	args[0] = ObjectIdGetDatum(tbl);
	if (!superuser() && !pg_class_ownercheck(tbl, me))
	{
		/* the right: a row of sdbc.delete_right for a role whose rights the caller has */
		if (SPI_execute_with_args("SELECT 1 FROM sdbc.delete_right d JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) d.role_name "
								  "WHERE d.table_name OPERATOR(pg_catalog.=) (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) $1) "
								  "AND pg_catalog.pg_has_role(r.oid, 'USAGE')",
								  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
			ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("sdbc.delete_rows: reading sdbc.delete_right failed")));
		if (SPI_processed == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to delete from %s", qname),
					 errdetail("Issue 13 section 5: staff delete only where sdbc.delete_right gives one of their roles the right (docs/security.md)."),
					 errhint("Ask the street office or the prefecture, who delete what is not history.")));
	}

	key = key_expression(tbl, qname);

	/* 1. the rows of the condition, as the caller */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.jsonb_agg(%s) FROM ONLY %s WHERE %s", key, qname, cond);
	keys = value_of(sql.data, 0, NULL, NULL, JSONBOID, &isnull);
	if (isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);
	}

	/* 2. of those, the ones the DELETE policies of his roles let him delete */
	policies = "true";
	if (!unfiltered)
	{
		bool		pnull;
		Datum		p;

		if (SPI_execute_with_args(
				"SELECT coalesce((SELECT pg_catalog.string_agg('(' OPERATOR(pg_catalog.||) coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), 'true') OPERATOR(pg_catalog.||) ')', ' OR ') "
				"  FROM pg_catalog.pg_policy p WHERE p.polrelid OPERATOR(pg_catalog.=) $1 AND p.polcmd IN ('d', '*') AND p.polpermissive "
				"   AND (0 OPERATOR(pg_catalog.=) ANY (p.polroles) OR EXISTS (SELECT 1 FROM pg_catalog.unnest(p.polroles) r WHERE pg_catalog.pg_has_role(r, 'USAGE')))), 'false') "
				"OPERATOR(pg_catalog.||) coalesce((SELECT pg_catalog.string_agg(' AND (' OPERATOR(pg_catalog.||) coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), 'true') OPERATOR(pg_catalog.||) ')', '') "
				"  FROM pg_catalog.pg_policy p WHERE p.polrelid OPERATOR(pg_catalog.=) $1 AND p.polcmd IN ('d', '*') AND NOT p.polpermissive "
				"   AND (0 OPERATOR(pg_catalog.=) ANY (p.polroles) OR EXISTS (SELECT 1 FROM pg_catalog.unnest(p.polroles) r WHERE pg_catalog.pg_has_role(r, 'USAGE')))), '')",
				1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("sdbc.delete_rows: reading the policies failed")));
		p = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &pnull);
		policies = pnull ? "false" : TextDatumGetCString(p);
	}
	initStringInfo(&check);
	appendStringInfo(&check, "SELECT pg_catalog.jsonb_agg(%s) FROM ONLY %s WHERE %s OPERATOR(pg_catalog.=) ANY "
					 "(SELECT pg_catalog.jsonb_array_elements($2)) AND $1 IS NOT NULL AND (%s)",
					 key, qname, key, policies);
	args[1] = keys;
	keys = value_of(check.data, 2, argtypes, args, JSONBOID, &isnull);
	if (isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);
	}

	/* 3. as the owner: lock them; as the caller: check again; as the owner: delete */
	args[1] = keys;
	resetStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.array_agg(x.ctid) FROM (SELECT ctid FROM ONLY %s WHERE %s OPERATOR(pg_catalog.=) ANY "
					 "(SELECT pg_catalog.jsonb_array_elements($2)) AND $1 IS NOT NULL FOR UPDATE) x", qname, key);
	tids = one_value(spi_as_owner(owner, sql.data, 2, argtypes, args), TIDARRAYOID, &isnull);
	if (isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);
	}
	keys = value_of(check.data, 2, argtypes, args, JSONBOID, &isnull);
	if (isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);
	}
	args[1] = keys;
	args[2] = tids;
	resetStringInfo(&sql);
	appendStringInfo(&sql, "DELETE FROM ONLY %s WHERE ctid OPERATOR(pg_catalog.=) ANY ($3) AND %s OPERATOR(pg_catalog.=) ANY "
					 "(SELECT pg_catalog.jsonb_array_elements($2)) AND $1 IS NOT NULL", qname, key);
	if (spi_as_owner(owner, sql.data, 3, argtypes, args) != SPI_OK_DELETE)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("sdbc.delete_rows: the delete failed")));
	n = SPI_processed;
	SPI_finish();
	PG_RETURN_INT64((int64) n);
}
