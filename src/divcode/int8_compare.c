/*
 * int8_compare.c — comparison, hashing and sort support for the 8-byte
 * by-value types sdbc.divcode and sdbc.idcard.
 *
 * Both hold a plain int64, so core's int8 functions would do; but a SQL
 * function declared LANGUAGE internal is looked up by name among all
 * built-ins each time it is prepared (one strcmp per built-in), which a
 * foreign-key check or ON CONFLICT pays per row.  These C functions are
 * found through the library's symbol cache instead.
 */
#include "sdbc.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/sortsupport.h"

PG_FUNCTION_INFO_V1(sdbc_int8_eq);
PG_FUNCTION_INFO_V1(sdbc_int8_ne);
PG_FUNCTION_INFO_V1(sdbc_int8_lt);
PG_FUNCTION_INFO_V1(sdbc_int8_le);
PG_FUNCTION_INFO_V1(sdbc_int8_gt);
PG_FUNCTION_INFO_V1(sdbc_int8_ge);
PG_FUNCTION_INFO_V1(sdbc_int8_cmp);
PG_FUNCTION_INFO_V1(sdbc_int8_sortsupport);
PG_FUNCTION_INFO_V1(sdbc_int8_hash);
PG_FUNCTION_INFO_V1(sdbc_int8_hash_extended);

/* a = b */
Datum
sdbc_int8_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) == PG_GETARG_INT64(1));
}

/* a <> b */
Datum
sdbc_int8_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) != PG_GETARG_INT64(1));
}

/* a < b */
Datum
sdbc_int8_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) < PG_GETARG_INT64(1));
}

/* a <= b */
Datum
sdbc_int8_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) <= PG_GETARG_INT64(1));
}

/* a > b */
Datum
sdbc_int8_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) > PG_GETARG_INT64(1));
}

/* a >= b */
Datum
sdbc_int8_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_INT64(0) >= PG_GETARG_INT64(1));
}

/* btree comparison: -1, 0 or 1 */
Datum
sdbc_int8_cmp(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0),
				b = PG_GETARG_INT64(1);

	PG_RETURN_INT32(a < b ? -1 : (a > b ? 1 : 0));
}

/* btree sort support: compare the Datums directly */
Datum
sdbc_int8_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_signed_cmp;
	PG_RETURN_VOID();
}

/* hash, the same as core's for int8 (so hash joins with bigint agree) */
Datum
sdbc_int8_hash(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_INT64(0);
	uint32		lohalf = (uint32) v,
				hihalf = (uint32) (v >> 32);

	lohalf ^= (v >= 0) ? hihalf : ~hihalf;
	PG_RETURN_DATUM(hash_uint32(lohalf));
}

/* 64-bit seeded hash, the same as core's for int8 */
Datum
sdbc_int8_hash_extended(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_INT64(0);
	uint32		lohalf = (uint32) v,
				hihalf = (uint32) (v >> 32);

	lohalf ^= (v >= 0) ? hihalf : ~hihalf;
	PG_RETURN_DATUM(hash_uint32_extended(lohalf, PG_GETARG_INT64(1)));
}
