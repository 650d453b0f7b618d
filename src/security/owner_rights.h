/*
 * owner_rights.h — running a piece of the engine with the rights of the
 * owner of the extension's tables (rule checks that must see what the
 * caller's row-level security hides, the engine's own writes).
 */
#ifndef SDBC_OWNER_RIGHTS_H
#define SDBC_OWNER_RIGHTS_H

#include "postgres.h"

/* The owner of a relation (error if it does not exist). */
extern Oid	sdbc_relation_owner(Oid relid);

/* The owner of the extension's table relname in schema sdbc. */
extern Oid	sdbc_table_owner(const char *relname);

/*
 * Call fn(arg) as owner, in a security-restricted operation (no SET ROLE, no
 * session-level changes); the caller's identity comes back on any exit.
 */
extern void sdbc_as_owner(Oid owner, void (*fn) (void *arg), void *arg);

#endif							/* SDBC_OWNER_RIGHTS_H */
