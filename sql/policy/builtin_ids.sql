-- Built-in policy rows get fixed ids, the same in every database whatever
-- the order in which releases inserted them: negative, numbered by key,
-- division and date.  Rows a user adds take positive ids from the identity
-- sequence, so a dump of user rows (pg_extension_config_dump … 'WHERE NOT
-- builtin') restores into a fresh install of the same release without
-- colliding with its built-in rows, also when the dumped database was
-- updated from an earlier release (test/t/006_upgrade.pl).  Nothing refers
-- to policy_id; it is the row's handle only.  Runs at the end of the install
-- script and of every update script.
WITH old AS (DELETE FROM sdbc.policy WHERE builtin RETURNING *)
INSERT INTO sdbc.policy OVERRIDING SYSTEM VALUE
SELECT -row_number() OVER (ORDER BY key, division NULLS FIRST, valid_from), key, division, valid_from, value, builtin, note
  FROM old;
COMMENT ON COLUMN sdbc.policy.policy_id IS
  'surrogate key: negative and fixed for built-in rows (numbered by key, division, valid_from), positive for rows users add';
