/*
 * decision_hash.c — SHA-256 of a decision and the hash before it (R3.2,
 * R3.3, R4.2: every decision is chained), in C for the decision trigger.
 *
 * The definition is the SQL function sdbc.decision_hash (sql/82_routes.sql),
 * which sdbc.verify_chain uses to check a chain: SHA-256 over the previous
 * hash followed by the UTF-8 text
 *   case_id|step_no|round|actor|acting_for|verdict|send_back_to|reason|time
 * with '-' for a missing acting_for, send_back_to or reason, and the time in
 * UTC as YYYY-MM-DDTHH:MI:SS.UUUUUU.  This file builds the same bytes
 * without a query; for a time it cannot print the same way (not finite, or
 * a year outside 1–9999) it asks the SQL function, so both always agree —
 * the regression tests check every chain they build with verify_chain.
 */
#include "sdbc.h"

#include "decision_hash.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/* Append text in the database encoding to buf as UTF-8. */
static void
append_utf8(StringInfo buf, const char *s, int len)
{
	char	   *utf8 = pg_server_to_any(s, len, PG_UTF8);

	appendBinaryStringInfo(buf, utf8, utf8 == s ? len : (int) strlen(utf8));
	if (utf8 != s)
		pfree(utf8);
}

/* The hash by the SQL definition (for the times this file does not print). */
static bytea *
hash_by_sql(const DecisionLink *l)
{
	Oid			types[10] = {BYTEAOID, INT8OID, INT4OID, INT4OID, INT8OID, INT8OID, TEXTOID,
	INT4OID, TEXTOID, TIMESTAMPTZOID};
	Datum		args[10] = {PointerGetDatum(l->prev_hash), Int64GetDatum(l->case_id),
		Int32GetDatum(l->step_no), Int32GetDatum(l->round), Int64GetDatum(l->actor),
		Int64GetDatum(l->acting_for), CStringGetTextDatum(l->verdict),
		Int32GetDatum(l->send_back_to), PointerGetDatum(l->reason),
	TimestampTzGetDatum(l->decided_at)};
	char		nulls[10] = {l->prev_hash ? ' ' : 'n', ' ', ' ', ' ', ' ',
		l->has_acting_for ? ' ' : 'n', ' ', l->has_send_back_to ? ' ' : 'n',
	l->reason ? ' ' : 'n', ' '};
	bool		isnull;
	Datum		d;
	bytea	   *result;

	SPI_connect();
	if (SPI_execute_with_args("SELECT sdbc.decision_hash($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
							  10, types, args, nulls, false, 1) != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: sdbc.decision_hash could not be computed")));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	result = isnull ? NULL : DatumGetByteaPCopy(SPI_datumTransfer(d, false, -1));
	SPI_finish();
	return result;
}

/* SHA-256 of a decision's link (palloc'd bytea of 32 bytes). */
bytea *
sdbc_decision_hash(const DecisionLink *l)
{
	struct pg_tm tm;
	fsec_t		fsec;
	StringInfoData buf;
	pg_cryptohash_ctx *ctx;
	bytea	   *result;

	if (TIMESTAMP_NOT_FINITE(l->decided_at) ||
		timestamp2tm(l->decided_at, NULL, &tm, &fsec, NULL, NULL) != 0 ||
		tm.tm_year < 1 || tm.tm_year > 9999)
		return hash_by_sql(l);

	initStringInfo(&buf);
	if (l->prev_hash)
		appendBinaryStringInfo(&buf, VARDATA_ANY(l->prev_hash), VARSIZE_ANY_EXHDR(l->prev_hash));
	appendStringInfo(&buf, INT64_FORMAT "|%d|%d|" INT64_FORMAT "|",
					 l->case_id, l->step_no, l->round, l->actor);
	if (l->has_acting_for)
		appendStringInfo(&buf, INT64_FORMAT "|", l->acting_for);
	else
		appendStringInfoString(&buf, "-|");
	append_utf8(&buf, l->verdict, (int) strlen(l->verdict));
	if (l->has_send_back_to)
		appendStringInfo(&buf, "|%d|", l->send_back_to);
	else
		appendStringInfoString(&buf, "|-|");
	if (l->reason)
		append_utf8(&buf, VARDATA_ANY(l->reason), (int) VARSIZE_ANY_EXHDR(l->reason));
	else
		appendStringInfoChar(&buf, '-');
	appendStringInfo(&buf, "|%04d-%02d-%02dT%02d:%02d:%02d.%06d",
					 tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);

	result = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	SET_VARSIZE(result, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (uint8 *) buf.data, buf.len) < 0 ||
		pg_cryptohash_final(ctx, (uint8 *) VARDATA(result), PG_SHA256_DIGEST_LENGTH) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("sdbc: SHA-256 failed: %s", pg_cryptohash_error(ctx))));
	pg_cryptohash_free(ctx);
	pfree(buf.data);
	return result;
}
