/*
 * divcode_kernel.h — the statistical division code (统计用区划代码) as plain C.
 *
 * A code has five segments: province (2 digits), prefecture (2), county (2),
 * township (3) and village/community (3).  It is held as the 12-digit number
 * they spell, so that a division and everything below it form one contiguous
 * range of integers (the basis of the btree range scan for `<@`).
 *
 * This file does not include postgres.h: the kernel is unit-tested and
 * fuzzed without a server (test/unit, test/fuzz).
 */
#ifndef SDBC_DIVCODE_KERNEL_H
#define SDBC_DIVCODE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Levels of the hierarchy, 1 = province … 5 = village or community. */
#define DIVCODE_LEVEL_PROVINCE   1
#define DIVCODE_LEVEL_PREFECTURE 2
#define DIVCODE_LEVEL_COUNTY     3
#define DIVCODE_LEVEL_TOWNSHIP   4
#define DIVCODE_LEVEL_VILLAGE    5

/* Largest 12-digit code; every valid code lies in [110000000000, this]. */
#define DIVCODE_MAX_VALUE INT64_C(999999999999)

/* Text buffer size for the canonical form (12 digits and a NUL). */
#define DIVCODE_TEXT_SIZE 13

/* Why a code was rejected. */
typedef enum divcode_status
{
	DIVCODE_OK = 0,
	DIVCODE_ERR_EMPTY,			/* nothing but blanks */
	DIVCODE_ERR_NONDIGIT,		/* a character that is not 0-9 */
	DIVCODE_ERR_LENGTH,			/* not 2, 4, 6, 9 or 12 digits */
	DIVCODE_ERR_PROVINCE,		/* province segment not in GB/T 2260 */
	DIVCODE_ERR_RANGE,			/* township or village segment above 599 */
	DIVCODE_ERR_GAP,			/* non-zero segment under a zero one */
	DIVCODE_ERR_NEGATIVE		/* integer form below zero or above 12 digits */
} divcode_status;

/* What kind of unit a code names (derived from its level and segment ranges). */
typedef enum divcode_kind
{
	DIVCODE_KIND_PROVINCE = 0,
	DIVCODE_KIND_PREFECTURE,
	DIVCODE_KIND_COUNTY,
	DIVCODE_KIND_STREET,		/* 街道, township segment 001–099 */
	DIVCODE_KIND_TOWN,			/* 镇, 100–199 */
	DIVCODE_KIND_TOWNSHIP,		/* 乡, 200–399 */
	DIVCODE_KIND_TOWNSHIP_LIKE, /* 乡级单位, 400–599 */
	DIVCODE_KIND_RESIDENTS_COMMITTEE,	/* 居委会 (community), village 001–199 */
	DIVCODE_KIND_VILLAGERS_COMMITTEE,	/* 村委会, 200–399 */
	DIVCODE_KIND_VILLAGE_LIKE,	/* 村级单位, 400–599 */
	DIVCODE_KIND_COUNT
} divcode_kind;

extern divcode_status divcode_parse(const char *text, size_t len, int64_t *code,
									int *bad_segment);
extern divcode_status divcode_check(int64_t code, int *bad_segment);
extern const char *divcode_status_text(divcode_status status);
extern const char *divcode_segment_name(int segment);

extern void divcode_format(int64_t code, char *buf);
extern void divcode_format_short(int64_t code, char *buf);

extern int	divcode_level(int64_t code);
extern int64_t divcode_parent(int64_t code);
extern int64_t divcode_ancestor(int64_t code, int level);
extern int64_t divcode_subtree_last(int64_t code);
extern bool divcode_contains(int64_t ancestor, int64_t code);
extern divcode_kind divcode_kind_of(int64_t code);
extern const char *divcode_kind_name(divcode_kind kind);

#endif							/* SDBC_DIVCODE_KERNEL_H */
