/*
 * messages.h — messages in the reader's language (src/common/messages.c,
 * docs/errors.md "Messages in Chinese").
 */
#ifndef SDBC_MESSAGES_H
#define SDBC_MESSAGES_H

/* Bind the message catalogue and install the hook that translates errors raised in SQL. */
extern void sdbc_messages_init(void);

#endif							/* SDBC_MESSAGES_H */
