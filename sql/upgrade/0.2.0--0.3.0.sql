-- sdbc 0.2.0 → 0.3.0, the hand-written part: what changed in the files that
-- 0.2.0 already had (docs/upgrades.md).  The files new in 0.3.0 follow it in
-- the built script (UPDATE_NEW in the Makefile).
\echo Use "ALTER EXTENSION sdbc UPDATE TO '0.3.0'" to load this file. \quit
