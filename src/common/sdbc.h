/*
 * sdbc.h — included first by every glue file: the extension's text domain.
 * It declares no functions; each .c file has its own header for that, and
 * the SQLSTATEs are in sqlstates.h.
 */
#ifndef SDBC_H
#define SDBC_H

#include "postgres.h"

/*
 * The extension's message catalogue (docs/errors.md, "Messages in Chinese"):
 * ereport expands TEXTDOMAIN where it is used, and PostgreSQL 15's elog.h
 * sets it to NULL (core's catalogue), so every glue file includes this
 * header first and its ereports translate their texts in the text domain
 * "sdbc-15" (PG_TEXTDOMAIN), which _PG_init binds (messages.c).
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("sdbc")

/*
 * A word or phrase a message takes as an argument ("a rejection"), written
 * literally at the call: translated in the extension's catalogue
 * (po/extract.sh extracts it; core's _() would look in core's catalogue).
 */
#define sdbc_text(s) dgettext(TEXTDOMAIN, s)

#endif							/* SDBC_H */
