/*
 * login_staff.h — the person behind a login (sdbc.role_staff, docs/security.md).
 */
#ifndef SDBC_LOGIN_STAFF_H
#define SDBC_LOGIN_STAFF_H

#include "postgres.h"

/*
 * Refuse unless the acting role is staff_id (or may record anyone): SD317
 * for a role without a mapping, SD318 for one mapped to another person.
 * table: the table written, whose owner is not checked.  Call inside SPI.
 */
extern void sdbc_check_login_is(Oid table, int64 staff_id, const char *doing);

#endif							/* SDBC_LOGIN_STAFF_H */
