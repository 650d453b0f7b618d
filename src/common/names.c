/*
 * names.c — the extension's objects by name, for the glue of every concept:
 * the schema's OID and a column's number (names.h).
 */
#include "sdbc.h"

#include "names.h"

#include "catalog/namespace.h"
#include "executor/spi.h"

/* OID of the extension's schema, sdbc (fixed: the extension is not relocatable). */
Oid
sdbc_schema_oid(void)
{
	return get_namespace_oid("sdbc", false);
}

/* Number of column name of rel; 42703 naming function, the table and the column. */
int
sdbc_column_number(Relation rel, const char *name, const char *function)
{
	int			attno = SPI_fnumber(RelationGetDescr(rel), name);

	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s: table \"%s\" has no column \"%s\"",
						function, RelationGetRelationName(rel), name)));
	return attno;
}
