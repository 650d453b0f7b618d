/*
 * divcode.h — the division code type sdbc.divcode in the glue: a code is the
 * 12-digit integer it spells, held by value as an int64 (src/divcode/divcode.c;
 * the rules on codes are in src/kernel/divcode_kernel.c).
 */
#ifndef SDBC_DIVCODE_H
#define SDBC_DIVCODE_H

#include "postgres.h"

#define DatumGetDivcode(d)    DatumGetInt64(d)
#define DivcodeGetDatum(c)    Int64GetDatum(c)
#define PG_GETARG_DIVCODE(n)  DatumGetDivcode(PG_GETARG_DATUM(n))
#define PG_RETURN_DIVCODE(c)  return DivcodeGetDatum(c)

/* The code as its 12 digits, palloc'd (for messages). */
extern char *divcode_text(int64 code);

#endif							/* SDBC_DIVCODE_H */
