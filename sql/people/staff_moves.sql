-- Staff move down (R2): the history of where each person serves, the hard
-- limits a move or an appointment may not break, the compliance report of
-- the others, and the paper's staffing figures as a report on any data set.
--
-- Hard (refused with SD5xx):   street leadership above street.leadership.max
--                              (R2.2); a move that takes a national cadre out
--                              of a community below its R2.4 minimum, while
--                              policy community.national_staff.hard = 1.
-- Reported (sdbc.staff_compliance): sent-down share (R2.1), internal offices
--                              of a street (R2.2), national public servants
--                              per community (R2.4).

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('street.offices.max', 'R2.2', 'count', 1, NULL,
   'most internal offices a street keeps (the paper: a single general office for supervision, finance and coordination)',
   '街道内设机构上限(只设综合办公室)', true),
  ('community.national_staff.hard', 'R2.4', 'count', 0, 1,
   '1: a move that takes a national cadre out of a community below its R2.4 minimum is refused; 0: only reported',
   '1:调出国家干部使社区低于最低配备时拒绝;0:仅报告', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('street.offices.max',            NULL, '2014-01-01', 1, true, 'paper: 只设综合办公室 (R2.2)'),
  ('community.national_staff.hard', NULL, '2014-01-01', 1, true, 'sdbc default: the R2.4 minimum holds against moves');

-- Internal offices of a street (R2.2).
CREATE TABLE sdbc.street_office (
  street_office_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  name       text NOT NULL CONSTRAINT street_office_name_not_blank CHECK (btrim(name) <> ''),
  general    boolean NOT NULL DEFAULT false,
  CONSTRAINT street_office_at_street CHECK (sdbc.divcode_level(street) = 4),
  UNIQUE (street, name)
);
COMMENT ON TABLE sdbc.street_office IS
  'Internal offices 内设机构 of a street (R2.2: the street keeps a single general office 综合办公室; more than policy street.offices.max is reported)';
COMMENT ON COLUMN sdbc.street_office.street_office_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.street_office.street IS 'street 街道 (a level-4 division)';
COMMENT ON COLUMN sdbc.street_office.name IS 'name 名称, e.g. 综合办公室';
COMMENT ON COLUMN sdbc.street_office.general IS 'the general office 综合办公室 (supervision, finance, coordination)';

-- Moves (R2.1, R2.3): insert-only, one per person and day, in date order.
CREATE TABLE sdbc.staff_move (
  move_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id       bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  moved_on       date NOT NULL CONSTRAINT staff_move_moved_on_finite CHECK (isfinite(moved_on)),
  kind           text NOT NULL CONSTRAINT staff_move_kind_known
                   CHECK (kind IN ('hire', 'sent_down', 'transfer', 'leave')),
  from_division  sdbc.divcode REFERENCES sdbc.division (code),
  to_division    sdbc.divcode REFERENCES sdbc.division (code),
  note           text,
  CONSTRAINT staff_move_ends CHECK (CASE kind WHEN 'hire'  THEN from_division IS NULL AND to_division IS NOT NULL
                                              WHEN 'leave' THEN from_division IS NOT NULL AND to_division IS NULL
                                              ELSE from_division IS NOT NULL AND to_division IS NOT NULL
                                                   AND from_division OPERATOR(sdbc.<>) to_division END),
  UNIQUE (staff_id, moved_on)
);
COMMENT ON TABLE sdbc.staff_move IS
  'Moves of staff 人员调动 (R2.1, R2.3): hire, sent down from a street to one of its communities 下沉, transfer, leave; insert-only, in date order; the latest sets sdbc.staff.division';
COMMENT ON COLUMN sdbc.staff_move.move_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff_move.staff_id IS 'who moves';
COMMENT ON COLUMN sdbc.staff_move.moved_on IS 'first day in the new division 调动日期';
COMMENT ON COLUMN sdbc.staff_move.kind IS 'hire 录用, sent_down 下沉 (street → one of its communities, R2.1), transfer 调动, leave 离职';
COMMENT ON COLUMN sdbc.staff_move.from_division IS 'division served until the move; NULL for a hire';
COMMENT ON COLUMN sdbc.staff_move.to_division IS 'division served from the move on; NULL for a leave';
COMMENT ON COLUMN sdbc.staff_move.note IS 'document or reason';
CREATE INDEX staff_move_to_idx ON sdbc.staff_move (to_division, moved_on);

SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.street_office_street_office_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_move_move_id_seq', '');

-- Where a person serves on a date: the latest move on or before it; before
-- the first move, where that move came from (nowhere before a hire); with no
-- moves at all, sdbc.staff.division.
CREATE FUNCTION sdbc.staff_division(who bigint, on_date date DEFAULT CURRENT_DATE) RETURNS sdbc.divcode
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT CASE WHEN l.kind IS NOT NULL THEN l.to_division
              WHEN f.kind IS NULL THEN s.division
              WHEN f.kind = 'hire' THEN NULL
              ELSE f.from_division END
    FROM sdbc.staff s
    LEFT JOIN LATERAL (SELECT m.kind, m.to_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id AND m.moved_on <= on_date
                        ORDER BY m.moved_on DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT m.kind, m.from_division FROM sdbc.staff_move m
                        WHERE m.staff_id = s.staff_id
                        ORDER BY m.moved_on LIMIT 1) f ON true
   WHERE s.staff_id = who;
END;
COMMENT ON FUNCTION sdbc.staff_division(bigint, date) IS
  'Division a person serves on a date (R2.3), from sdbc.staff_move; NULL before a hire or after a leave; sdbc.staff.division for a person without moves';

CREATE FUNCTION sdbc.is_national_cadre(category text) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(category IN ('administrative', 'institutional'), false);
COMMENT ON FUNCTION sdbc.is_national_cadre(text) IS
  'True for the establishments of national cadres 国家干部 (行政编制, 事业编制): the national public servants of R2.4';

-- National cadres serving a community on a date (R2.4).
CREATE FUNCTION sdbc.community_national_staff(community sdbc.divcode, on_date date DEFAULT CURRENT_DATE) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*) FROM sdbc.staff s
   WHERE sdbc.is_national_cadre(s.category)
     AND (s.division OPERATOR(sdbc.=) community
          OR EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = s.staff_id
                        AND (m.to_division OPERATOR(sdbc.=) community OR m.from_division OPERATOR(sdbc.=) community)))
     AND sdbc.staff_division(s.staff_id, on_date) OPERATOR(sdbc.=) community;
END;
COMMENT ON FUNCTION sdbc.community_national_staff(sdbc.divcode, date) IS
  'Number of national cadres 国家公职人员 serving the community on the date (R2.4)';

-- A row that arrives with an id its table's sequence did not just hand out
-- in this session is a restore (pg_restore copies ids); history checks that
-- read other tables as of a date then stand aside, for a superuser only,
-- since the rows they would read may not be restored yet.
CREATE FUNCTION sdbc.is_restored_row(seq regclass, id bigint) RETURNS boolean
  LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    RETURN false;
  END IF;
  RETURN id <> pg_catalog.currval(seq);
EXCEPTION WHEN object_not_in_prerequisite_state THEN   -- currval not yet defined in this session
  RETURN true;
END $$;
COMMENT ON FUNCTION sdbc.is_restored_row(regclass, bigint) IS
  'True when a superuser writes a row whose id was not just drawn from its sequence in this session: a restore (pg_restore), whose history checks are skipped';

-- The hard staffing limits (R2.2 street leadership, R2.4 community national
-- cadres) count rows of sdbc.staff and sdbc.staff_move.  Every check first
-- updates the division's row here: two sessions checking one street or
-- community queue (READ COMMITTED: the second then counts the first one's
-- change) or the later one gets a serialization failure (REPEATABLE READ,
-- whose snapshot could not see the other's row).
CREATE TABLE sdbc.staff_limit_lock (
  division  sdbc.divcode PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_limit_lock IS
  'Internal: one row per street or community, updated by every check of its hard staffing limits (R2.2 leadership, R2.4 national cadres), so that concurrent writers queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing';
COMMENT ON COLUMN sdbc.staff_limit_lock.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_limit_lock.writes IS 'checks run so far';

CREATE FUNCTION sdbc.staff_limit_lock(division sdbc.divcode) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- with the owner's rights (issue 13 section 5), for a division the acting
  -- login serves or while the engine writes (a staff move)
  IF sdbc.engine_writing() OR sdbc.acting_serves(staff_limit_lock.division) THEN
    INSERT INTO sdbc.staff_limit_lock AS l (division, writes) VALUES (staff_limit_lock.division, 1)
    ON CONFLICT ON CONSTRAINT staff_limit_lock_pkey DO UPDATE SET writes = l.writes + 1;
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.staff_limit_lock(sdbc.divcode) IS
  'Internal: takes the row lock of a street or community in sdbc.staff_limit_lock before its hard staffing limits are counted; with the owner''s rights, only for a division the acting login serves or while the engine writes (sdbc.acting_serves)';

-- R2.4, hard while policy community.national_staff.hard = 1: a national cadre
-- who stops counting for a community from a date on (a move out, a leave, a
-- change of category, a deletion) must leave it at its minimum on that date
-- and on every later date a move into or out of it is recorded: the count
-- only changes on those dates, so the minimum over them is the minimum from
-- the date on.  Raises SD505 for the first date that falls short.
CREATE FUNCTION sdbc.community_minimum_check(community sdbc.divcode, who bigint, from_date date, what text)
  RETURNS void LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  short record;
BEGIN
  IF community IS NULL OR sdbc.divcode_level(community) <> 5 THEN
    RETURN;
  END IF;
  PERFORM sdbc.staff_limit_lock(community);
  SELECT d.on_date, x.remaining, x.need INTO short
    FROM (SELECT from_date AS on_date
          UNION
          SELECT m.moved_on FROM sdbc.staff_move m
           WHERE (m.to_division = community OR m.from_division = community) AND m.moved_on > from_date) d,
         LATERAL (SELECT sdbc.community_national_staff(community, d.on_date)
                         - CASE WHEN sdbc.staff_division(who, d.on_date) = community THEN 1 ELSE 0 END AS remaining,
                         sdbc.policy_value(CASE WHEN (SELECT v.key_complex FROM sdbc.division v WHERE v.code = community)
                                                THEN 'community.national_staff.min_key' ELSE 'community.national_staff.min' END,
                                           community, d.on_date) AS need) x
   WHERE sdbc.policy_value('community.national_staff.hard', community, d.on_date) = 1
     AND x.remaining < x.need
   ORDER BY d.on_date
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD505',
      MESSAGE = format('%s would leave community %s with %s national public servants on %s, fewer than %s',
                       what, community, short.remaining, short.on_date, short.need),
      DETAIL = 'R2.4: a general community has at least 10 national public servants, a key or complex one at least 15 (policy community.national_staff.min, .min_key), on every day from the change on.',
      HINT = 'Send a replacement first (dated no later than the shortfall), or set policy community.national_staff.hard to 0 to report instead of refusing.';
  END IF;
END $$;
COMMENT ON FUNCTION sdbc.community_minimum_check(sdbc.divcode, bigint, date, text) IS
  'Internal: refuses (SD505, R2.4) when staff member who, no longer counted for the community from from_date on, leaves it below its national-cadre minimum on that date or on any later recorded move date into or out of it, while policy community.national_staff.hard = 1; serialised per community (sdbc.staff_limit_lock)';

-- Direct writes to sdbc.staff: the street leadership limit (R2.2, hard); the
-- division changes only by a move (R2.3), except to correct the record of
-- someone with no moves yet; a national cadre does not leave a community
-- below its minimum by a change of category, a correction or a deletion
-- (R2.4); a grid leader stays in the grid's community (R7.4).
CREATE FUNCTION sdbc.staff_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  leaders bigint;
  lim numeric;
  post_id bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('deleting staff %s', OLD.staff_id));
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.division <> OLD.division AND NOT sdbc.engine_writing() THEN
    -- not from the move trigger (sdbc.engine_writing(), whatever the trigger
    -- depth): a correction, only before the history starts
    IF EXISTS (SELECT 1 FROM sdbc.staff_move m WHERE m.staff_id = OLD.staff_id) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD514',
        MESSAGE = format('staff %s has recorded moves: the division changes only by a move', OLD.staff_id),
        DETAIL = 'R2.3: where a person serves follows from the history of moves (sdbc.staff_move).',
        HINT = format('Record a transfer, sent-down move or leave from %s in sdbc.staff_move.', OLD.division);
    END IF;
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = OLD.division AND OLD.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s', OLD.staff_id, post_id, OLD.division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first.', post_id);
    END IF;
    IF sdbc.is_national_cadre(OLD.category) THEN
      PERFORM sdbc.community_minimum_check(OLD.division, OLD.staff_id, CURRENT_DATE,
                                           format('moving staff %s', OLD.staff_id));
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND sdbc.is_national_cadre(OLD.category) AND NOT sdbc.is_national_cadre(NEW.category) THEN
    PERFORM sdbc.community_minimum_check(sdbc.staff_division(OLD.staff_id, CURRENT_DATE), OLD.staff_id, CURRENT_DATE,
                                         format('changing the category of staff %s', OLD.staff_id));
  END IF;
  IF NEW.street_leader AND (TG_OP = 'INSERT' OR NOT OLD.street_leader OR OLD.division <> NEW.division) THEN
    PERFORM sdbc.staff_limit_lock(NEW.division);
    SELECT count(*) INTO leaders FROM sdbc.staff s
     WHERE s.street_leader AND s.division = NEW.division AND s.staff_id <> NEW.staff_id;
    lim := sdbc.policy_value('street.leadership.max', NEW.division, CURRENT_DATE);
    IF leaders + 1 > lim THEN
      RAISE EXCEPTION USING ERRCODE = 'SD504',
        MESSAGE = format('street %s would have %s leaders, more than %s', NEW.division, leaders + 1, lim),
        DETAIL = 'R2.2: the street leadership shrinks to policy street.leadership.max members.',
        HINT = 'Take someone off the leadership first (a sent-down move to a community does), or override the policy for this street.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_check() IS
  'Trigger on sdbc.staff: no street gets more leaders than policy street.leadership.max (R2.2, SD504); the division changes only by a move once the person has one (R2.3, SD514); a change of division, of category or a deletion does not leave a community below its national-cadre minimum (R2.4, SD505) nor a grid without its leader''s community staff (R7.4, SD507)';
CREATE TRIGGER staff_check BEFORE INSERT OR UPDATE OF street_leader, division, category OR DELETE ON sdbc.staff
  FOR EACH ROW EXECUTE FUNCTION sdbc.staff_check();

-- A move: not in the future, divisions exist, the move continues the
-- person's history, a sent-down move goes from a street to one of its
-- communities, a grid leader does not leave the grid's community (R7.4), and
-- a national cadre does not leave a community below its minimum (R2.4, hard
-- while policy community.national_staff.hard = 1).  A restored row (see
-- sdbc.is_restored_row) gets only the checks that need no other table.
CREATE FUNCTION sdbc.staff_move_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  s record;
  last_move sdbc.staff_move;
  was sdbc.divcode;
  d sdbc.divcode;
  post_id bigint;
BEGIN
  IF NOT (CASE NEW.kind WHEN 'hire'  THEN NEW.from_division IS NULL AND NEW.to_division IS NOT NULL
                        WHEN 'leave' THEN NEW.from_division IS NOT NULL AND NEW.to_division IS NULL
                        ELSE NEW.from_division IS NOT NULL AND NEW.to_division IS NOT NULL END) THEN
    RETURN NEW;   -- check constraint staff_move_ends reports it
  END IF;
  IF NEW.moved_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD515',
      MESSAGE = format('a move dated %s lies in the future', NEW.moved_on),
      DETAIL = 'R2.3: a move is recorded when it has taken effect; until then the person serves where the history says.',
      HINT = 'Record the move on or after the day it takes effect.';
  END IF;
  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND sdbc.divcode_level(d) < 3 THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s is not a county, street or community', d),
        DETAIL = 'R2.3: staff serve counties, streets and communities.',
        HINT = 'Name the county, street or community the person serves.';
    END IF;
  END LOOP;
  IF NEW.kind = 'sent_down' AND NOT (sdbc.divcode_level(NEW.from_division) = 4
                                      AND sdbc.divcode_level(NEW.to_division) = 5
                                      AND NEW.to_division <@ NEW.from_division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD503',
      MESSAGE = format('a move from %s to %s is not a move down', NEW.from_division, NEW.to_division),
      DETAIL = 'R2.1, R2.3: street staff are sent down to the communities of their own street.',
      HINT = 'Send the person to a community of the street, or record a transfer.';
  END IF;
  IF sdbc.is_restored_row('sdbc.staff_move_move_id_seq', NEW.move_id) THEN
    RETURN NEW;   -- a restore replays the history as it was; sdbc.staff comes back as dumped
  END IF;

  FOREACH d IN ARRAY ARRAY[NEW.from_division, NEW.to_division] LOOP
    IF d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sdbc.division x WHERE x.code = d) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD501',
        MESSAGE = format('division %s does not exist', d),
        DETAIL = 'R2.3: staff move between divisions of the tree (streets, communities, counties).',
        HINT = 'Load the division into sdbc.division first, or correct the code.';
    END IF;
  END LOOP;

  -- (named columns: the staff roles may not read id_number, sql/97_roles.sql)
  SELECT x.staff_id, x.division, x.category INTO s FROM sdbc.staff x WHERE x.staff_id = NEW.staff_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  SELECT * INTO last_move FROM sdbc.staff_move WHERE staff_id = NEW.staff_id ORDER BY moved_on DESC LIMIT 1;
  IF FOUND AND last_move.moved_on >= NEW.moved_on THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = format('move of staff %s on %s is not after the last recorded move (%s)', NEW.staff_id, NEW.moved_on, last_move.moved_on),
      DETAIL = 'R2.3: the history of moves is kept in date order and never rewritten.',
      HINT = 'Record moves in the order they happened.';
  END IF;
  was := CASE WHEN last_move.move_id IS NOT NULL THEN last_move.to_division
              WHEN NEW.kind = 'hire' THEN NULL
              ELSE s.division END;
  IF NEW.from_division IS DISTINCT FROM was
     OR (last_move.move_id IS NULL AND NEW.kind = 'hire' AND NEW.to_division <> s.division) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD502',
      MESSAGE = CASE WHEN NEW.from_division IS DISTINCT FROM was
                     THEN format('staff %s serves %s, not %s, before the move of %s',
                                 NEW.staff_id, coalesce(was::text, 'nowhere'), coalesce(NEW.from_division::text, 'nowhere'), NEW.moved_on)
                     ELSE format('staff %s serves %s, not %s: the first hire records where the person serves',
                                 NEW.staff_id, s.division, NEW.to_division) END,
      DETAIL = 'R2.3: a move starts where the person serves.',
      HINT = CASE WHEN was IS NULL AND NEW.kind <> 'hire' THEN 'Record a hire first.'
                  WHEN NEW.kind = 'hire' AND was IS NOT NULL THEN format('The person serves %s: record a transfer or a leave.', was)
                  WHEN NEW.kind = 'hire' THEN format('Hire into %s.', s.division)
                  ELSE format('Move from %s.', was) END;
  END IF;

  IF NEW.from_division IS NOT NULL THEN
    SELECT p.post_id INTO post_id FROM sdbc.post p
     WHERE p.office = 'grid_leader' AND p.division = NEW.from_division AND NEW.staff_id IN (p.principal, p.backup)
     ORDER BY p.post_id LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('staff %s is a grid leader (A or B) of post %s in community %s and cannot leave it',
                         NEW.staff_id, post_id, NEW.from_division),
        DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
        HINT = format('Name someone else A or B of post %s first (UPDATE sdbc.post), then record the move.', post_id);
    END IF;
  END IF;

  IF sdbc.is_national_cadre(s.category) THEN
    PERFORM sdbc.community_minimum_check(NEW.from_division, NEW.staff_id, NEW.moved_on,
                                         format('moving staff %s', NEW.staff_id));
  END IF;

  -- The person serves the new division; whoever moves leaves the street leadership (R2.3).
  UPDATE sdbc.staff SET division = coalesce(NEW.to_division, division), street_leader = false
   WHERE staff_id = NEW.staff_id;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.staff_move_check() IS
  'Trigger on sdbc.staff_move: not dated in the future (SD515), divisions exist (SD501), moves continue the history (SD502), sent down means street → own community (SD503), a grid leader does not leave the grid''s community (SD507, R7.4), a community keeps its R2.4 minimum on every day from the move on when the policy makes it hard (SD505); then sets sdbc.staff.division and takes the person off the street leadership (R2.3). A restored row gets only the checks that read no other table (SD515, SD501 level, SD503)';

-- through sdbc.engine_trigger: the division it writes is the engine's (SD514)
CREATE TRIGGER staff_move_check BEFORE INSERT ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.staff_move_check()');
CREATE TRIGGER staff_move_insert_only BEFORE UPDATE OR DELETE ON sdbc.staff_move
  FOR EACH ROW EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');
CREATE TRIGGER staff_move_no_truncate BEFORE TRUNCATE ON sdbc.staff_move
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.history_is_insert_only('R2.3', 'staff moves');

-- Compliance with R2.1, R2.2, R2.4 on a date, every check with its outcome.
CREATE FUNCTION sdbc.staff_compliance(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (division sdbc.divcode, name text, rule_id text, measure text, value numeric, bound numeric, ok boolean)
  LANGUAGE sql STABLE STRICT PARALLEL RESTRICTED
BEGIN ATOMIC
  WITH placed AS (
    SELECT s.staff_id, s.category, s.street_leader, sdbc.staff_division(s.staff_id, on_date) AS at
      FROM sdbc.staff s
  ), sent AS (   -- the street each person was last sent down from, while still in its communities
    SELECT p.staff_id, p.at, m.from_division AS street
      FROM placed p
      JOIN LATERAL (SELECT x.from_division FROM sdbc.staff_move x
                     WHERE x.staff_id = p.staff_id AND x.kind = 'sent_down' AND x.moved_on <= on_date
                     ORDER BY x.moved_on DESC LIMIT 1) m ON true
     WHERE p.at OPERATOR(sdbc.<@) m.from_division AND sdbc.divcode_level(p.at) = 5
  ), streets AS (
    SELECT DISTINCT x.code FROM (
      SELECT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 4
      UNION ALL SELECT street FROM sent
      UNION ALL SELECT o.street FROM sdbc.street_office o) x
  ), communities AS (
    SELECT DISTINCT p.at AS code FROM placed p WHERE sdbc.divcode_level(p.at) = 5
  ), placed_count AS (   -- counted once per division, not once per division and person
    SELECT p.at AS code, count(*) AS staff,
           count(*) FILTER (WHERE sdbc.is_national_cadre(p.category)) AS national
      FROM placed p WHERE p.at IS NOT NULL GROUP BY p.at
  ), sent_count AS (
    SELECT sent.street AS code, count(*) AS sent FROM sent GROUP BY sent.street
  ), leader_count AS (
    SELECT s.division AS code, count(*) AS leaders FROM sdbc.staff s WHERE s.street_leader GROUP BY s.division
  ), office_count AS (
    SELECT o.street AS code, count(*) AS offices FROM sdbc.street_office o GROUP BY o.street
  ), checks AS (
    SELECT st.code, 'R2.1' AS rule_id, 'share of street staff sent down 下沉比例' AS measure,
           round(coalesce(sc.sent, 0)::numeric / nullif(coalesce(sc.sent, 0) + coalesce(pc.staff, 0), 0), 3) AS value,
           sdbc.policy_value('street.staff_sent_down.min_share', st.code, on_date) AS bound, 'min' AS sense
      FROM streets st
      LEFT JOIN sent_count sc ON sc.code OPERATOR(sdbc.=) st.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'street leadership 街道领导班子', coalesce(lc.leaders, 0),
           sdbc.policy_value('street.leadership.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN leader_count lc ON lc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT st.code, 'R2.2', 'internal offices 内设机构', coalesce(oc.offices, 0),
           sdbc.policy_value('street.offices.max', st.code, on_date), 'max'
      FROM streets st LEFT JOIN office_count oc ON oc.code OPERATOR(sdbc.=) st.code
    UNION ALL
    SELECT c.code, 'R2.4', 'national public servants 国家公职人员', coalesce(pc.national, 0),
           sdbc.policy_value(CASE WHEN d.key_complex THEN 'community.national_staff.min_key'
                                  ELSE 'community.national_staff.min' END, c.code, on_date), 'min'
      FROM communities c JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) c.code
      LEFT JOIN placed_count pc ON pc.code OPERATOR(sdbc.=) c.code
  )
  SELECT k.code, d.name, k.rule_id, k.measure, k.value, k.bound,
         CASE WHEN k.value IS NULL THEN NULL WHEN k.sense = 'min' THEN k.value >= k.bound ELSE k.value <= k.bound END
    FROM checks k JOIN sdbc.division d ON d.code OPERATOR(sdbc.=) k.code
   ORDER BY k.code, k.rule_id, k.measure;
END;
COMMENT ON FUNCTION sdbc.staff_compliance(date) IS
  'Staffing checks on a date, one row per street or community and measure, ok = false for a violation: R2.1 share of street staff sent down (≥ policy street.staff_sent_down.min_share), R2.2 leadership (≤ street.leadership.max; current members) and internal offices (≤ street.offices.max), R2.4 national public servants per community (≥ community.national_staff.min or .min_key)';

CREATE VIEW sdbc.staff_violation AS
  SELECT division, name, rule_id, measure, value, bound
    FROM sdbc.staff_compliance(CURRENT_DATE) WHERE NOT ok;
COMMENT ON VIEW sdbc.staff_violation IS 'Staffing rules broken today (R2.1, R2.2, R2.4), with the rule ID';
COMMENT ON COLUMN sdbc.staff_violation.division IS 'street or community';
COMMENT ON COLUMN sdbc.staff_violation.name IS 'its name 名称';
COMMENT ON COLUMN sdbc.staff_violation.rule_id IS 'rule broken';
COMMENT ON COLUMN sdbc.staff_violation.measure IS 'what was measured';
COMMENT ON COLUMN sdbc.staff_violation.value IS 'measured value';
COMMENT ON COLUMN sdbc.staff_violation.bound IS 'policy bound in force';

-- The paper's staffing figures (R2) over the staff serving communities
-- under a division (NULL: everywhere) on a date.
CREATE FUNCTION sdbc.staffing_report(under sdbc.divcode DEFAULT NULL, on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (n integer, measure text, label_zh text, persons bigint, share_pct numeric)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH s AS (
    SELECT st.staff_id, st.name, st.division, st.category, st.sex, st.education, st.rank, st.party_member, st.street_leader
      FROM sdbc.staff st   -- named columns: the staff roles may not read id_number (sql/97_roles.sql)
     WHERE sdbc.divcode_level(sdbc.staff_division(st.staff_id, on_date)) = 5
       AND (under IS NULL OR sdbc.staff_division(st.staff_id, on_date) OPERATOR(sdbc.<@) under)
  ), f AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE sdbc.is_national_cadre(category)) AS national,
           count(*) FILTER (WHERE category = 'administrative') AS admin,
           count(*) FILTER (WHERE category = 'institutional') AS inst,
           count(*) FILTER (WHERE category = 'public_welfare') AS welfare,
           count(*) FILTER (WHERE category = 'contract') AS contract,
           count(*) FILTER (WHERE category IS NULL) AS uncat,
           count(*) FILTER (WHERE sex = 'male') AS men,
           count(*) FILTER (WHERE education IN ('postgraduate', 'bachelor')) AS bachelor,
           count(*) FILTER (WHERE education = 'associate') AS associate,
           count(*) FILTER (WHERE rank = 'full_section') AS full_section,
           count(*) FILTER (WHERE rank = 'deputy_section') AS deputy_section,
           count(*) FILTER (WHERE party_member) AS party
      FROM s
  )
  SELECT v.n, v.measure, v.label_zh, v.persons, round(100.0 * v.persons / nullif(f.total, 0), 1)
    FROM f, LATERAL (VALUES
      (1,  'community staff',                 '社区工作人员',         f.total),
      (2,  'national cadres',                 '在编国家干部',         f.national),
      (3,  '  administrative establishment',  '  行政编制',           f.admin),
      (4,  '  institutional establishment',   '  事业编制',           f.inst),
      (5,  'public-welfare posts',            '公益性岗位',           f.welfare),
      (6,  'contract hires',                  '聘用人员',             f.contract),
      (7,  'category not recorded',           '未登记',               f.uncat),
      (8,  'men',                             '男性',                 f.men),
      (9,  'bachelor or above',               '本科及以上',           f.bachelor),
      (10, 'associate degree',                '大专',                 f.associate),
      (11, 'associate degree or above',       '大专及以上',           f.bachelor + f.associate),
      (12, 'full section level',              '正科级',               f.full_section),
      (13, 'deputy section level',            '副科级',               f.deputy_section),
      (14, 'party members',                   '党员',                 f.party)) v(n, measure, label_zh, persons)
   ORDER BY v.n;
END;
COMMENT ON FUNCTION sdbc.staffing_report(sdbc.divcode, date) IS
  'The paper''s staffing figures (R2) for the staff serving communities under a division (NULL: all) on a date: totals by establishment, national-cadre share, men, education, rank, party members; share_pct of all community staff';

-- A member of an office serves the office's division (session-4 review: a
-- street office made its own finance officer a community's handler and
-- finance lead, and staff of another community or street handlers of 前进).
-- Restores bring memberships as they were (sdbc.is_restore_session()).
-- The division a staff member serves, read with the owner's rights (a
-- street office must not pass a member it cannot see).
CREATE FUNCTION sdbc.staff_division_of(staff_id bigint) RETURNS sdbc.divcode
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sdbc, pg_temp
  AS $$ SELECT s.division FROM sdbc.staff s WHERE s.staff_id = staff_division_of.staff_id $$;
COMMENT ON FUNCTION sdbc.staff_division_of(bigint) IS
  'The division a staff member serves, whatever the caller sees (for sdbc.office_member_check)';

CREATE FUNCTION sdbc.office_member_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
DECLARE
  serves sdbc.divcode;
BEGIN
  IF TG_OP = 'INSERT' AND sdbc.is_restore_session() THEN
    RETURN NEW;
  END IF;
  serves := sdbc.staff_division_of(NEW.staff_id);
  IF serves IS NOT NULL AND serves OPERATOR(sdbc.<>) NEW.division THEN
    RAISE EXCEPTION USING ERRCODE = 'SD356',
      MESSAGE = pg_catalog.format('staff %s serves division %s and cannot be a member of %s for %s',
                                  NEW.staff_id, serves, NEW.office, NEW.division),
      DETAIL = 'Rules R2.3, R3.2, R3.3: the members of an office serve its division; a street''s officer is not a community''s handler, and a community''s handler not another community''s.',
      HINT = 'Move the person to the division first (sdbc.staff_move), or name a member who serves it.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.office_member_check() IS
  'Trigger on sdbc.office_member: the member serves the office''s division (SD356); restored rows as they were 办公室成员所属检查';
CREATE TRIGGER office_member_check BEFORE INSERT OR UPDATE OF staff_id, division ON sdbc.office_member
  FOR EACH ROW EXECUTE FUNCTION sdbc.office_member_check();
