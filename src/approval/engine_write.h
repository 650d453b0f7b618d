/*
 * engine_write.h — the approval engine marks its own writes (docs/security.md).
 *
 * Tables that change only through the engine (cases, debits, where staff
 * serve) let a write through when the engine is writing, whatever the trigger
 * depth: a flag of this backend that only the extension's C code sets, around
 * its own statements and around the PL/pgSQL engine triggers it runs through
 * sdbc.engine_trigger().
 */
#ifndef SDBC_ENGINE_WRITE_H
#define SDBC_ENGINE_WRITE_H

#include "spi_plans.h"

extern bool sdbc_engine_writing(void);
extern int	sdbc_spi_engine_write(SavedQuery *q, Datum *values, const char *nulls, long limit);
extern void sdbc_engine_write_init(void);
extern int	sdbc_engine_suspend(void);
extern void sdbc_engine_resume(int saved);

#endif							/* SDBC_ENGINE_WRITE_H */
