/*
 * null_guard.h — reading a value the code cannot do without (issue 13 §1).
 *
 * A trigger sees the row before NOT NULL is checked, and a non-STRICT
 * function sees NULL arguments: reading a NULL datum as text or numeric
 * crashes the server.  These read a required column or argument and raise
 * 23502 naming it when it is NULL, as core's NOT NULL check would.
 */
#ifndef SDBC_NULL_GUARD_H
#define SDBC_NULL_GUARD_H

#include "postgres.h"
#include "access/htup.h"
#include "utils/rel.h"

/*
 * Column name of tuple t of rel; 23502 naming the column (and rule, the
 * rule that needs the value, e.g. "R3.2") when it is NULL.
 */
extern Datum sdbc_required_column(HeapTuple t, Relation rel, const char *name,
								  const char *rule);

/* 23502 naming argument argname of function fname when isnull. */
extern void sdbc_required_argument(bool isnull, const char *fname, const char *argname,
								   const char *rule);

#endif
