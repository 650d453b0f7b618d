/*
 * names.h — the extension's objects by name, for the glue of every concept
 * (src/common/names.c): the schema's OID and a column's number.
 */
#ifndef SDBC_NAMES_H
#define SDBC_NAMES_H

#include "postgres.h"
#include "utils/rel.h"

/* OID of the extension's schema, sdbc (fixed: the extension is not relocatable). */
extern Oid	sdbc_schema_oid(void);

/*
 * Number of column name of rel; 42703 naming function (the caller, e.g.
 * "sdbc.expense_check"), the table and the column when rel has no such
 * column (the library serves the tables of every release).
 */
extern int	sdbc_column_number(Relation rel, const char *name, const char *function);

#endif							/* SDBC_NAMES_H */
