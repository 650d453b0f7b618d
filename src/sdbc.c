/*
 * sdbc.c — module entry point: the magic block and one-time set-up.
 */
#include "sdbc.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Called once per backend when the library is loaded: register caches. */
void
_PG_init(void)
{
	sdbc_policy_cache_init();
}
