/*
 * divcode_kernel.c — parse, check and navigate statistical division codes.
 *
 * Pure C over int64_t; no PostgreSQL headers.  See divcode_kernel.h.
 *
 * Facts encoded here (from GB/T 2260 and the NBS 统计用区划代码 rules):
 *  - province segments in use: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65,
 *    71, 81, 82;
 *  - township segment 001–099 street, 100–199 town, 200–399 township,
 *    400–599 township-like; village segment 001–199 residents' committee,
 *    200–399 villagers' committee, 400–599 village-like;
 *  - a segment may be non-zero only when the one above it is, except for the
 *    prefecture-level cities that have no counties (东莞 4419, 中山 4420,
 *    儋州 4604), whose townships sit directly under the prefecture with
 *    county segment 00.
 */
#include "divcode_kernel.h"

/* Marks a text for the message catalogue (po/extract.sh); the glue looks
 * up its translation (dgettext) when it reports the text. */
#ifndef gettext_noop
#define gettext_noop(x) (x)
#endif

/* The multiplier of each segment within the 12 digits. */
static const int64_t segment_scale[5] = {
	INT64_C(10000000000), INT64_C(100000000), INT64_C(1000000),
	INT64_C(1000), INT64_C(1)
};

/* Size of the subtree below a code of each level (index = level - 1). */
static const int64_t level_span[5] = {
	INT64_C(10000000000), INT64_C(100000000), INT64_C(1000000),
	INT64_C(1000), INT64_C(1)
};

/* Prefecture-level cities without counties: their townships skip a level. */
static const int countyless_prefectures[] = {4419, 4420, 4604};

/* Value of segment i (0 = province … 4 = village) of a 12-digit code. */
static int
segment(int64_t code, int i)
{
	int64_t		mod = (i == 0) ? INT64_C(100) : (i <= 2 ? 100 : 1000);

	return (int) ((code / segment_scale[i]) % mod);
}

/* True when the two-digit province segment is one that GB/T 2260 assigns. */
static bool
province_in_use(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) ||
		(p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
		(p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
		p == 71 || p == 81 || p == 82;
}

/* True for a prefecture whose townships lie directly under it (county 00). */
static bool
prefecture_is_countyless(int64_t code)
{
	int			pc = (int) (code / segment_scale[1]);

	for (size_t i = 0; i < sizeof(countyless_prefectures) / sizeof(int); i++)
		if (countyless_prefectures[i] == pc)
			return true;
	return false;
}

/*
 * Check that a 12-digit integer is a well-formed division code.  On failure
 * *bad_segment (when not NULL) names the offending segment (0–4).
 */
divcode_status
divcode_check(int64_t code, int *bad_segment)
{
	int			seg[5];
	int			bad = 0;
	divcode_status st = DIVCODE_OK;

	if (code < 0 || code > DIVCODE_MAX_VALUE)
		st = DIVCODE_ERR_NEGATIVE;
	else
	{
		for (int i = 0; i < 5; i++)
			seg[i] = segment(code, i);

		if (!province_in_use(seg[0]))
			st = DIVCODE_ERR_PROVINCE;
		else if (seg[3] > 599)
			st = DIVCODE_ERR_RANGE, bad = 3;
		else if (seg[4] > 599)
			st = DIVCODE_ERR_RANGE, bad = 4;
		else
		{
			/* A non-zero segment needs a non-zero parent segment. */
			for (int i = 2; i < 5; i++)
			{
				if (seg[i] == 0 || seg[i - 1] != 0)
					continue;
				if (i == 3 && seg[1] != 0 && prefecture_is_countyless(code))
					continue;
				st = DIVCODE_ERR_GAP, bad = i;
				break;
			}
		}
	}
	if (bad_segment)
		*bad_segment = bad;
	return st;
}

/*
 * Parse the 2-, 4-, 6-, 9- or 12-digit text form of a code, surrounded by
 * optional blanks, into its 12-digit integer.  Shorter forms name the
 * division at that depth: '6529' is 652900000000.
 */
divcode_status
divcode_parse(const char *text, size_t len, int64_t *code, int *bad_segment)
{
	size_t		start = 0,
				end = len,
				ndigits;
	int64_t		value = 0;

	if (bad_segment)
		*bad_segment = 0;
	while (start < end && (text[start] == ' ' || text[start] == '\t' ||
						   text[start] == '\n' || text[start] == '\r'))
		start++;
	while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' ||
						   text[end - 1] == '\n' || text[end - 1] == '\r'))
		end--;
	if (start == end)
		return DIVCODE_ERR_EMPTY;

	ndigits = end - start;
	for (size_t i = start; i < end; i++)
	{
		if (text[i] < '0' || text[i] > '9')
			return DIVCODE_ERR_NONDIGIT;
	}
	if (ndigits != 2 && ndigits != 4 && ndigits != 6 && ndigits != 9 &&
		ndigits != 12)
		return DIVCODE_ERR_LENGTH;

	for (size_t i = start; i < end; i++)
		value = value * 10 + (text[i] - '0');
	for (size_t i = ndigits; i < 12; i++)
		value *= 10;

	*code = value;
	return divcode_check(value, bad_segment);
}

/*
 * A sentence saying why a code was rejected, for error details.  %s, where
 * present, stands for the segment's name (divcode_segment_name).
 */
const char *
divcode_status_text(divcode_status status)
{
	switch (status)
	{
		case DIVCODE_OK:
			return gettext_noop("The code is valid.");
		case DIVCODE_ERR_EMPTY:
			return gettext_noop("The code is empty.");
		case DIVCODE_ERR_NONDIGIT:
			return gettext_noop("A code contains only the digits 0-9.");
		case DIVCODE_ERR_LENGTH:
			return gettext_noop("A code has 2, 4, 6, 9 or 12 digits.");
		case DIVCODE_ERR_PROVINCE:
			return gettext_noop("The province segment is not a GB/T 2260 province.");
		case DIVCODE_ERR_RANGE:
			return gettext_noop("The %s segment is above 599; township and village segments run from 001 to 599.");
		case DIVCODE_ERR_GAP:
			return gettext_noop("The %s segment is not zero although the segment above it is.");
		case DIVCODE_ERR_NEGATIVE:
			return gettext_noop("The integer form is a 12-digit number.");
	}
	return gettext_noop("The code is malformed.");
}

/* English name of segment i, for error details. */
const char *
divcode_segment_name(int i)
{
	static const char *const names[5] = {
		gettext_noop("province"), gettext_noop("prefecture"), gettext_noop("county"),
		gettext_noop("township"), gettext_noop("village")
	};

	return (i >= 0 && i < 5) ? names[i] : "?";
}

/* Write the canonical form: always all 12 digits.  buf holds 13 bytes. */
void
divcode_format(int64_t code, char *buf)
{
	for (int i = 11; i >= 0; i--)
	{
		buf[i] = (char) ('0' + code % 10);
		code /= 10;
	}
	buf[12] = '\0';
}

/*
 * Write the shortest form that names the same division (2, 4, 6, 9 or 12
 * digits): '652901' for Aksu city.  buf holds 13 bytes.
 */
void
divcode_format_short(int64_t code, char *buf)
{
	static const int keep[6] = {0, 2, 4, 6, 9, 12};
	int			level = divcode_level(code);

	divcode_format(code, buf);
	buf[keep[level]] = '\0';
}

/* Level of a valid code: 1 province, 2 prefecture, 3 county, 4 township, 5 village. */
int
divcode_level(int64_t code)
{
	for (int i = 4; i >= 1; i--)
		if (segment(code, i) != 0)
			return i + 1;
	return 1;
}

/* The code of the level just above, or -1 for a province. */
int64_t
divcode_parent(int64_t code)
{
	int			level = divcode_level(code);

	if (level == DIVCODE_LEVEL_PROVINCE)
		return -1;
	/* Zeroing the segment of this level also handles countyless prefectures. */
	return code - (code % level_span[level - 2]);
}

/*
 * The ancestor-or-self at the given level, or -1 when there is none (a level
 * below the code's own, or the county of a countyless prefecture's township).
 */
int64_t
divcode_ancestor(int64_t code, int level)
{
	int64_t		a;

	if (level < DIVCODE_LEVEL_PROVINCE || level > divcode_level(code))
		return -1;
	a = code - (code % level_span[level - 1]);
	return divcode_level(a) == level ? a : -1;
}

/* The highest code in the subtree of code (its descendants form [code, this]). */
int64_t
divcode_subtree_last(int64_t code)
{
	return code + level_span[divcode_level(code) - 1] - 1;
}

/* True when ancestor is code itself or one of its ancestors. */
bool
divcode_contains(int64_t ancestor, int64_t code)
{
	return code >= ancestor && code <= divcode_subtree_last(ancestor);
}

/* The kind of unit a valid code names. */
divcode_kind
divcode_kind_of(int64_t code)
{
	int			level = divcode_level(code);
	int			s;

	switch (level)
	{
		case DIVCODE_LEVEL_PROVINCE:
			return DIVCODE_KIND_PROVINCE;
		case DIVCODE_LEVEL_PREFECTURE:
			return DIVCODE_KIND_PREFECTURE;
		case DIVCODE_LEVEL_COUNTY:
			return DIVCODE_KIND_COUNTY;
		case DIVCODE_LEVEL_TOWNSHIP:
			s = segment(code, 3);
			return s < 100 ? DIVCODE_KIND_STREET :
				s < 200 ? DIVCODE_KIND_TOWN :
				s < 400 ? DIVCODE_KIND_TOWNSHIP : DIVCODE_KIND_TOWNSHIP_LIKE;
		default:
			s = segment(code, 4);
			return s < 200 ? DIVCODE_KIND_RESIDENTS_COMMITTEE :
				s < 400 ? DIVCODE_KIND_VILLAGERS_COMMITTEE :
				DIVCODE_KIND_VILLAGE_LIKE;
	}
}

/* The identifier of a kind, as stored in sdbc.division_kind. */
const char *
divcode_kind_name(divcode_kind kind)
{
	static const char *const names[DIVCODE_KIND_COUNT] = {
		"province", "prefecture", "county", "street", "town", "township",
		"township_like", "residents_committee", "villagers_committee",
		"village_like"
	};

	return (kind >= 0 && kind < DIVCODE_KIND_COUNT) ? names[kind] : "unknown";
}
