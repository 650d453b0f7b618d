/*
 * test_idcard.c — unit tests of the identity-number kernel, without a server.
 */
#include "idcard_kernel.h"
#include "tap.h"

#include <string.h>

static const idcard_date today = {2026, 11, 26};

/* Parse a C string; returns the status, stores the body. */
static idcard_status
parse(const char *s, int64_t *body)
{
	return idcard_parse(s, strlen(s), today, body);
}

/* Format the body of s back to text (s must be valid). */
static const char *
roundtrip(const char *s)
{
	static char buf[IDCARD_TEXT_SIZE];
	int64_t		body = 0;

	if (parse(s, &body) != IDCARD_OK)
		return "(rejected)";
	idcard_format(body, buf);
	return buf;
}

int
main(void)
{
	int64_t		b = 0;
	char		buf[IDCARD_TEXT_SIZE];
	idcard_date d;

	/* the standard's worked example and its old 15-digit form */
	is_str(roundtrip("11010519491231002X"), "11010519491231002X", "18-character example");
	is_str(roundtrip("11010519491231002x"), "11010519491231002X", "lower-case x");
	is_str(roundtrip("110105491231002"), "11010519491231002X", "15-digit form upgraded");
	is_str(roundtrip("  652901198001010011 "), "652901198001010011", "surrounding blanks");

	ok(parse("1101051949123100", &b) == IDCARD_ERR_LENGTH, "16 characters");
	ok(parse("", &b) == IDCARD_ERR_LENGTH, "empty");
	ok(parse("11010519491231002Y", &b) == IDCARD_ERR_CHARACTER, "letter Y");
	ok(parse("1101051949123100X2", &b) == IDCARD_ERR_CHARACTER, "X not last");
	ok(parse("11010549123100X", &b) == IDCARD_ERR_CHARACTER, "X in the 15-digit form");
	ok(parse("110105194912310021", &b) == IDCARD_ERR_CHECKSUM, "wrong check character");
	ok(parse("110105194902300020", &b) == IDCARD_ERR_DATE, "30 February");
	ok(parse("110105190002290020", &b) == IDCARD_ERR_DATE, "1900 not a leap year");
	ok(parse("110105200002290025", &b) != IDCARD_ERR_DATE, "2000 is a leap year");
	ok(parse("110105194913010020", &b) == IDCARD_ERR_DATE, "month 13");
	ok(parse("110105194912000020", &b) == IDCARD_ERR_DATE, "day 0");
	ok(parse("110105179912310020", &b) == IDCARD_ERR_DATE, "before 1800");
	ok(parse("110105202611270020", &b) == IDCARD_ERR_FUTURE, "born tomorrow");
	ok(parse("110105202611260020", &b) != IDCARD_ERR_FUTURE, "born today");
	ok(parse("990105194912310020", &b) == IDCARD_ERR_ADDRESS, "province 99");
	ok(parse("000105194912310020", &b) == IDCARD_ERR_ADDRESS, "province 00");

	parse("652901198001010011", &b);
	d = idcard_birth_date(b);
	ok(d.year == 1980 && d.month == 1 && d.day == 1, "birth date");
	ok(idcard_is_male(b), "odd sequence is male");
	parse("11010519491231002X", &b);
	ok(!idcard_is_male(b), "even sequence is female");
	is_int(idcard_address_code(b), 110105, "address code");
	idcard_mask(b, buf);
	is_str(buf, "110105********002X", "mask");

	/* every body has exactly one check character that is accepted */
	{
		static const char chars[] = "0123456789X";
		int			bad = 0;

		for (int i = 0; i < 2000; i++)
		{
			char		s[19];
			int			accepted = 0;

			snprintf(s, sizeof s, "6529011990%02d%02d%03d", 1 + i % 12, 1 + i % 28, i % 1000);
			for (int c = 0; c < 11; c++)
			{
				s[17] = chars[c];
				s[18] = '\0';
				if (parse(s, &b) == IDCARD_OK)
					accepted++;
			}
			if (accepted != 1)
				bad++;
		}
		is_int(bad, 0, "2000 bodies: exactly one check character each");
	}
	return done_testing();
}
