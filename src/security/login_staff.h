/*
 * login_staff.h — the person behind a login (sdbc.role_staff, docs/security.md).
 */
#ifndef SDBC_LOGIN_STAFF_H
#define SDBC_LOGIN_STAFF_H

#include "postgres.h"

extern Oid	sdbc_acting_role(void);
extern void sdbc_check_login_is(Oid table, int64 staff_id, const char *doing);

#endif							/* SDBC_LOGIN_STAFF_H */
