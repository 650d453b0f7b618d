/*
 * idcard_kernel.h — the citizen identity number (GB 11643, 公民身份号码) as
 * plain C, without postgres.h.
 *
 * An 18-character number is 6 address digits, the birth date YYYYMMDD, a
 * 3-digit sequence (odd for men) and an ISO 7064 MOD 11-2 check character.
 * The check is derived from the other 17 digits, so the number is held as
 * those 17 digits in an int64.
 */
#ifndef SDBC_IDCARD_KERNEL_H
#define SDBC_IDCARD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Text buffer size for the 18-character form (and a NUL). */
#define IDCARD_TEXT_SIZE 19

/* Why a number was rejected. */
typedef enum idcard_status
{
	IDCARD_OK = 0,
	IDCARD_ERR_LENGTH,			/* not 15 or 18 characters */
	IDCARD_ERR_CHARACTER,		/* a non-digit (other than a final X) */
	IDCARD_ERR_ADDRESS,			/* address code with an impossible province */
	IDCARD_ERR_DATE,			/* birth date that does not exist */
	IDCARD_ERR_FUTURE,			/* birth date after today */
	IDCARD_ERR_CHECKSUM			/* check character does not match */
} idcard_status;

/* A calendar date, for birth dates and "today". */
typedef struct idcard_date
{
	int			year;
	int			month;
	int			day;
} idcard_date;

extern idcard_status idcard_parse(const char *text, size_t len, idcard_date today,
								  int64_t *body);
extern idcard_status idcard_check_body(int64_t body, idcard_date today);
extern const char *idcard_status_text(idcard_status status);
extern char idcard_check_char(int64_t body);
extern void idcard_format(int64_t body, char *buf);
extern void idcard_mask(int64_t body, char *buf);
extern idcard_date idcard_birth_date(int64_t body);
extern bool idcard_is_male(int64_t body);
extern int	idcard_address_code(int64_t body);

#endif							/* SDBC_IDCARD_KERNEL_H */
