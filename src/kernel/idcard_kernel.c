/*
 * idcard_kernel.c — parse, check and take apart GB 11643 identity numbers.
 *
 * Pure C; see idcard_kernel.h.  Facts used:
 *  - check = (12 − Σ digit_i × w_i mod 11) mod 11 over the first 17 digits
 *    with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the value 10 is
 *    written X (ISO 7064 MOD 11-2);
 *  - the old 15-digit form (6 address, YYMMDD, 3 sequence, no check) is
 *    upgraded by writing 19 before the year and computing the check;
 *  - the address code is the GB/T 2260 code where the holder was first
 *    registered; it is not checked against today's division table (codes
 *    retired since stay valid), only for a province that exists.
 */
#include "idcard_kernel.h"

#include "divcode_kernel.h"

/* Marks a text for the message catalogue (po/extract.sh); the glue looks
 * up its translation (dgettext) when it reports the text. */
#ifndef gettext_noop
#define gettext_noop(x) (x)
#endif

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

/* 10^k for k = 0..17. */
static int64_t
pow10_(int k)
{
	int64_t		p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* Digit i (0 = leftmost) of the 17-digit body. */
static int
body_digit(int64_t body, int i)
{
	return (int) ((body / pow10_(16 - i)) % 10);
}

/* The check character of a 17-digit body: '0'–'9' or 'X'. */
char
idcard_check_char(int64_t body)
{
	int			sum = 0,
				check;

	for (int i = 0; i < 17; i++)
		sum += body_digit(body, i) * weights[i];
	check = (12 - sum % 11) % 11;
	return check == 10 ? 'X' : (char) ('0' + check);
}

/* Days in a month of a year (Gregorian). */
static int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return (month == 2 && leap) ? 29 : days[month - 1];
}

/* The birth date written in digits 7–14. */
idcard_date
idcard_birth_date(int64_t body)
{
	int64_t		ymd = (body / 1000) % 100000000;
	idcard_date d;

	d.year = (int) (ymd / 10000);
	d.month = (int) ((ymd / 100) % 100);
	d.day = (int) (ymd % 100);
	return d;
}

/* Compare two dates: negative, zero or positive. */
static int
date_cmp(idcard_date a, idcard_date b)
{
	if (a.year != b.year)
		return a.year - b.year;
	if (a.month != b.month)
		return a.month - b.month;
	return a.day - b.day;
}

/* The 6-digit address code. */
int
idcard_address_code(int64_t body)
{
	return (int) (body / pow10_(11));
}

/* True when the sequence number (digits 15–17) is odd: a man. */
bool
idcard_is_male(int64_t body)
{
	return (body % 1000) % 2 == 1;
}

/* Check the address and birth date of a 17-digit body (not the check character). */
idcard_status
idcard_check_body(int64_t body, idcard_date today)
{
	idcard_date b;

	if (body < 0 || body >= pow10_(17))
		return IDCARD_ERR_LENGTH;
	if (divcode_check((int64_t) idcard_address_code(body) * 1000000, NULL) != DIVCODE_OK)
		return IDCARD_ERR_ADDRESS;
	b = idcard_birth_date(body);
	if (b.year < 1800 || b.month < 1 || b.month > 12 || b.day < 1 ||
		b.day > days_in_month(b.year, b.month))
		return IDCARD_ERR_DATE;
	if (date_cmp(b, today) > 0)
		return IDCARD_ERR_FUTURE;
	return IDCARD_OK;
}

/*
 * Parse the 18-character form (final x or X allowed) or the old 15-digit
 * form into the 17-digit body.  today bounds the birth date.
 */
idcard_status
idcard_parse(const char *text, size_t len, idcard_date today, int64_t *body)
{
	size_t		start = 0,
				end = len;
	int64_t		v = 0;
	idcard_status st;

	while (start < end && (text[start] == ' ' || text[start] == '\t'))
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	len = end - start;
	text += start;
	if (len != 15 && len != 18)
		return IDCARD_ERR_LENGTH;

	for (size_t i = 0; i < len; i++)
	{
		char		c = text[i];

		if (c >= '0' && c <= '9')
			continue;
		if (i == 17 && (c == 'X' || c == 'x'))
			continue;
		return IDCARD_ERR_CHARACTER;
	}

	if (len == 15)
	{
		for (size_t i = 0; i < 15; i++)
		{
			if (i == 6)
				v = v * 100 + 19;
			v = v * 10 + (text[i] - '0');
		}
	}
	else
		for (size_t i = 0; i < 17; i++)
			v = v * 10 + (text[i] - '0');

	st = idcard_check_body(v, today);
	if (st != IDCARD_OK)
		return st;
	if (len == 18)
	{
		char		c = text[17] == 'x' ? 'X' : text[17];

		if (c != idcard_check_char(v))
			return IDCARD_ERR_CHECKSUM;
	}
	*body = v;
	return IDCARD_OK;
}

/* A sentence saying why a number was rejected, for error details. */
const char *
idcard_status_text(idcard_status status)
{
	switch (status)
	{
		case IDCARD_OK:
			return gettext_noop("The number is valid.");
		case IDCARD_ERR_LENGTH:
			return gettext_noop("An identity number has 18 characters (or 15 digits in the old form).");
		case IDCARD_ERR_CHARACTER:
			return gettext_noop("An identity number has only digits, except that the last of 18 may be X.");
		case IDCARD_ERR_ADDRESS:
			return gettext_noop("The address code does not start with a GB/T 2260 province.");
		case IDCARD_ERR_DATE:
			return gettext_noop("The birth date does not exist.");
		case IDCARD_ERR_FUTURE:
			return gettext_noop("The birth date is in the future.");
		case IDCARD_ERR_CHECKSUM:
			return gettext_noop("The check character does not match (ISO 7064 MOD 11-2).");
	}
	return gettext_noop("The number is malformed.");
}

/* Write the 18-character form.  buf holds IDCARD_TEXT_SIZE bytes. */
void
idcard_format(int64_t body, char *buf)
{
	int64_t		v = body;

	for (int i = 16; i >= 0; i--)
	{
		buf[i] = (char) ('0' + v % 10);
		v /= 10;
	}
	buf[17] = idcard_check_char(body);
	buf[18] = '\0';
}

/* Write the display mask: address code and last four kept, 8 stars between. */
void
idcard_mask(int64_t body, char *buf)
{
	idcard_format(body, buf);
	for (int i = 6; i < 14; i++)
		buf[i] = '*';
}
