/*
 * sdbc.h — declarations shared by the PostgreSQL glue files.
 */
#ifndef SDBC_H
#define SDBC_H

#include "postgres.h"

/*
 * The extension's own SQLSTATE class "SD" for rule violations (docs/errors.md).
 * Input errors use core's codes (22P02 and friends) instead.
 */
#define ERRCODE_SDBC_POLICY_READONLY    MAKE_SQLSTATE('S','D','1','0','1')
#define ERRCODE_SDBC_POLICY_OUT_OF_RANGE MAKE_SQLSTATE('S','D','1','0','2')
#define ERRCODE_SDBC_POLICY_MISSING     MAKE_SQLSTATE('S','D','1','0','3')
#define ERRCODE_SDBC_POLICY_UNKNOWN_KEY MAKE_SQLSTATE('S','D','1','0','4')

/* divcode.c: the SQL type's Datum helpers. */
#define DatumGetDivcode(d)    DatumGetInt64(d)
#define DivcodeGetDatum(c)    Int64GetDatum(c)
#define PG_GETARG_DIVCODE(n)  DatumGetDivcode(PG_GETARG_DATUM(n))
#define PG_RETURN_DIVCODE(c)  return DivcodeGetDatum(c)

extern char *divcode_text(int64 code);

/* policy_cache.c */
extern void sdbc_policy_cache_init(void);
extern Oid	sdbc_schema_oid(void);

#endif							/* SDBC_H */
