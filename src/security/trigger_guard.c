/*
 * trigger_guard.c — the extension's C trigger functions run only on the
 * tables they are made for (hostile-login review, session 4, finding 1).
 *
 * A trigger function is an ordinary function: whoever may EXECUTE it may
 * attach it to a table of his own (a temporary copy of sdbc.decision, say)
 * and have it act on the engine's real tables, in the name of anyone.
 * EXECUTE on every trigger function is revoked from PUBLIC
 * (sql/98_rights_hardening.sql, checked when a trigger is created), and each C
 * trigger function also checks, every time it fires, that its table is one
 * of its own tables of schema sdbc (SD380).  Only the extension's owner
 * creates tables in that schema, so a table of that name there is the
 * extension's.
 */
#include "sdbc.h"

#include "sqlstates.h"
#include "names.h"
#include "trigger_guard.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/*
 * Refuse (SD380) unless the trigger's table is one of tables (NULL-ended),
 * in schema sdbc.  function names the trigger function in the message.
 */
void
sdbc_trigger_only_on(TriggerData *td, const char *function, const char *const *tables)
{
	Relation	rel = td->tg_relation;

	if (RelationGetNamespace(rel) == sdbc_schema_oid())
	{
		for (int i = 0; tables[i] != NULL; i++)
			if (strcmp(RelationGetRelationName(rel), tables[i]) == 0)
				return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_SDBC_TRIGGER_ELSEWHERE),
			 errmsg("trigger \"%s\" of the engine (sdbc.%s) fired on table %s, which is not its own",
					td->tg_trigger->tgname, function,
					quote_qualified_identifier(isAnyTempNamespace(RelationGetNamespace(rel)) ? "pg_temp" :
											   get_namespace_name(RelationGetNamespace(rel)),
											   RelationGetRelationName(rel))),
			 errdetail("Rules R3.2, R3.4: the engine records decisions, payments and placements only in the extension's own tables (sdbc.%s runs on sdbc.%s).",
					   function, tables[0]),
			 errhint("Write through the API of sdbc (sdbc.sign, sdbc.decide, sdbc.pay, …), not through a trigger of your own.")));
}
