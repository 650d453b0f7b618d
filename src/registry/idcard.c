/*
 * idcard.c — the SQL type sdbc.idcard (公民身份号码, GB 11643).
 *
 * Glue only; the rules are in idcard_kernel.c.  The value is the 17-digit
 * body as int8; the check character is recomputed on output.
 */
#include "sdbc.h"

#include "divcode.h"

#include "divcode_kernel.h"
#include "idcard_kernel.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

PG_FUNCTION_INFO_V1(idcard_in);
PG_FUNCTION_INFO_V1(idcard_out);
PG_FUNCTION_INFO_V1(idcard_recv);
PG_FUNCTION_INFO_V1(idcard_send);
PG_FUNCTION_INFO_V1(idcard_birth_date_sql);
PG_FUNCTION_INFO_V1(idcard_sex_sql);
PG_FUNCTION_INFO_V1(idcard_address_code_sql);
PG_FUNCTION_INFO_V1(idcard_mask_sql);

/* Today's date in the session's time zone, as the kernel wants it. */
static idcard_date
today(void)
{
	idcard_date t;

	j2date(GetSQLCurrentDate() + POSTGRES_EPOCH_JDATE, &t.year, &t.month, &t.day);
	return t;
}

/* Raise the core-style 22P02 error for a rejected number. */
static void
report_bad_idcard(const char *shown, idcard_status st)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "idcard", shown),
			 errdetail_internal("%s", dgettext(TEXTDOMAIN, idcard_status_text(st))),
			 errhint("Write the 18-character citizen identity number (公民身份号码), "
					 "or the old 15-digit one.")));
}

/* Text input: 18 characters (final x accepted) or the old 15 digits. */
Datum
idcard_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64_t		body = 0;
	idcard_status st = idcard_parse(str, strlen(str), today(), &body);

	if (st != IDCARD_OK)
		report_bad_idcard(str, st);
	PG_RETURN_INT64(body);
}

/* Text output: the 18-character form with an upper-case X. */
Datum
idcard_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(IDCARD_TEXT_SIZE);

	idcard_format(PG_GETARG_INT64(0), buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary input: the 17-digit body as int8, checked like text input. */
Datum
idcard_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		body = pq_getmsgint64(buf);
	idcard_status st = idcard_check_body(body, today());

	if (st != IDCARD_OK)
	{
		char		shown[32];

		snprintf(shown, sizeof(shown), INT64_FORMAT, body);
		report_bad_idcard(shown, st);
	}
	PG_RETURN_INT64(body);
}

/* Binary output: the 17-digit body as int8. */
Datum
idcard_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, PG_GETARG_INT64(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* idcard_birth_date(id): the date written in the number. */
Datum
idcard_birth_date_sql(PG_FUNCTION_ARGS)
{
	idcard_date b = idcard_birth_date(PG_GETARG_INT64(0));

	PG_RETURN_DATEADT(date2j(b.year, b.month, b.day) - POSTGRES_EPOCH_JDATE);
}

/* idcard_sex(id): 'male' for an odd sequence number, else 'female'. */
Datum
idcard_sex_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(idcard_is_male(PG_GETARG_INT64(0)) ? "male" : "female"));
}

/* idcard_address_code(id): the 6-digit address code as a divcode. */
Datum
idcard_address_code_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_DIVCODE((int64) idcard_address_code(PG_GETARG_INT64(0)) * 1000000);
}

/* idcard_mask(id): '110105********002X', for display. */
Datum
idcard_mask_sql(PG_FUNCTION_ARGS)
{
	char		buf[IDCARD_TEXT_SIZE];

	idcard_mask(PG_GETARG_INT64(0), buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

PG_FUNCTION_INFO_V1(idcard_make_sql);

/* idcard_make(address, birth_date, sequence): a number from its parts. */
Datum
idcard_make_sql(PG_FUNCTION_ARGS)
{
	int64		address = PG_GETARG_DIVCODE(0);
	DateADT		birth = PG_GETARG_DATEADT(1);
	int32		seq = PG_GETARG_INT32(2);
	int			y,
				m,
				d;
	int64		body;
	idcard_status st;

	if (address % 1000000 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("address code %s is below county level", divcode_text(address)),
				 errhint("An identity number carries a 6-digit (county-level) address code.")));
	if (seq < 0 || seq > 999)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence %d is out of range", seq),
				 errhint("The sequence runs from 0 to 999; odd numbers are men.")));
	if (DATE_NOT_FINITE(birth))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("birth date must be finite")));
	j2date(birth + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	body = (address / 1000000) * INT64CONST(100000000000) +
		((int64) y * 10000 + m * 100 + d) * 1000 + seq;
	st = idcard_check_body(body, today());
	if (st != IDCARD_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot make an identity number from these parts"),
				 errdetail_internal("%s", dgettext(TEXTDOMAIN, idcard_status_text(st)))));
	PG_RETURN_INT64(body);
}
