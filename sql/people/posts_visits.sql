-- People in posts (R7.3, R7.4) and household visits (R12.2): every grid has a
-- grid leader post held by staff of the grid's community, every post an A
-- and a B who are never absent at the same time, and someone visits
-- households every day.

INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('grid_leader', 5, '网格长', 'grid leader', true);

INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('visit.backdate.max_days', 'R12.2', 'days', 0, 366,
   'how many days after a household visit staff may still record it (an older visit recorded now would fake the R12.2 figures)', '入户走访最多可补记的天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('visit.backdate.max_days', NULL, '2014-01-01', 7, true, 'local default, not in the paper: a visit is recorded within a week');
INSERT INTO sdbc.policy_key (key, rule_id, unit, min_value, max_value, description_en, description_zh, builtin) VALUES
  ('visit.key_population.max_days', 'R12.2', 'days', 1, NULL,
   'longest a household with key population may go without a visit', '重点人口户走访最长间隔天数', true);
INSERT INTO sdbc.policy (key, division, valid_from, value, builtin, note) VALUES
  ('visit.key_population.max_days', NULL, '2014-01-01', 7, true,
   'sdbc default: the paper asks for visits every day (每天有人入户走访) and names no interval for key population');

-- A and B never absent together (R7.3): a post written and an absence written
-- at the same time must see each other.  Both paths first take a transaction
-- advisory lock per staff member they write for (class key
-- hashtext('sdbc.absence_ab'), ascending staff_id), then update the rows of
-- sdbc.staff_absence_lock of everyone whose absences they compare (ascending
-- staff_id), and only then read.  At READ COMMITTED the second writer waits
-- and then sees the first one's row; at REPEATABLE READ, whose snapshot
-- cannot see it, the row update fails with a serialization failure (40001).
CREATE TABLE sdbc.staff_absence_lock (
  staff_id  bigint PRIMARY KEY,
  writes    bigint NOT NULL
);
COMMENT ON TABLE sdbc.staff_absence_lock IS
  'Internal: one row per staff member, updated by every write of an A/B post naming the person and every absence of the person or of one of their A/B partners, so that such writes queue (READ COMMITTED) or get a serialization failure (REPEATABLE READ) instead of both passing the overlap check (R7.3)';
COMMENT ON COLUMN sdbc.staff_absence_lock.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_absence_lock.writes IS 'post and absence writes that locked the person so far';

CREATE FUNCTION sdbc.staff_absence_lock(who bigint[]) RETURNS void
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
  SET search_path = pg_catalog, sdbc, pg_temp AS $$
BEGIN
  -- The engine writes the lock rows with its owner's rights (no staff role
  -- has a privilege on the table, issue 13 section 5); it locks only staff
  -- the acting login serves or their A/B partners, so that a login cannot
  -- hold the rows of another community's staff.
  INSERT INTO sdbc.staff_absence_lock AS l (staff_id, writes)
  SELECT DISTINCT u.id, 1 FROM unnest(who) u(id)
   WHERE u.id IS NOT NULL AND sdbc.acting_may_lock_staff(u.id)
   ORDER BY 1
  ON CONFLICT ON CONSTRAINT staff_absence_lock_pkey DO UPDATE SET writes = l.writes + 1;
END $$;
COMMENT ON FUNCTION sdbc.staff_absence_lock(bigint[]) IS
  'Internal: takes the row locks of the given staff members in sdbc.staff_absence_lock, in ascending staff_id, before A/B absences are compared (R7.3); with the owner''s rights, only for staff the acting login serves and their A/B partners (sdbc.acting_may_lock_staff)';

-- The A/B rule reads the absences and posts it compares with the engine's
-- rights (issue 13, section 7): whatever the caller's row-level security
-- lets him see, a partner's absence on a post of another division still
-- counts (R7.3).  They answer only about the staff members they are given.
CREATE FUNCTION sdbc.ab_absence_clash(who bigint, during daterange, absence_id bigint)
  RETURNS TABLE (post_id bigint, office text, division sdbc.divcode, partner bigint, partner_during daterange)
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT p.post_id, p.office, p.division,
         CASE WHEN p.principal = ab_absence_clash.who THEN p.backup ELSE p.principal END,
         a.during
    FROM sdbc.post p
    JOIN sdbc.absence a ON a.staff_id = CASE WHEN p.principal = ab_absence_clash.who THEN p.backup ELSE p.principal END
   WHERE (p.principal = ab_absence_clash.who OR p.backup = ab_absence_clash.who)
     AND a.during OPERATOR(pg_catalog.&&) ab_absence_clash.during
     AND a.absence_id IS DISTINCT FROM ab_absence_clash.absence_id
   ORDER BY p.post_id, lower(a.during)
   LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_absence_clash(bigint, daterange, bigint) IS
  'Internal (trigger sdbc.absence_check): the first A/B post of staff who whose other holder is absent during the range (leaving out absence absence_id), read with the owner''s rights so that a post or absence the caller cannot see still counts (SD508, R7.3) 甲乙岗缺勤冲突';
CREATE FUNCTION sdbc.ab_absences_overlap(principal bigint, backup bigint)
  RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT EXISTS (SELECT 1 FROM sdbc.absence a JOIN sdbc.absence b ON a.during OPERATOR(pg_catalog.&&) b.during
                  WHERE a.staff_id = ab_absences_overlap.principal AND b.staff_id = ab_absences_overlap.backup);
END;
COMMENT ON FUNCTION sdbc.ab_absences_overlap(bigint, bigint) IS
  'Internal (trigger sdbc.post_check): whether the two staff members are ever absent at overlapping times, read with the owner''s rights (SD508, R7.3) 甲乙岗缺勤是否重叠';

CREATE FUNCTION sdbc.ab_backup_post(principal bigint, backup bigint)
  RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT p.post_id FROM sdbc.post p
   WHERE p.principal = ab_backup_post.principal AND p.backup = ab_backup_post.backup
   ORDER BY p.post_id LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_backup_post(bigint, bigint) IS
  'Internal (trigger sdbc.absence_check): the first post on which backup is the B of principal, read with the owner''s rights so that a post the caller cannot see still counts (SD516, R7.3) 甲乙岗查询';
CREATE FUNCTION sdbc.ab_recorded_absence(principal bigint, backup bigint)
  RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
  SET search_path = pg_catalog, sdbc, pg_temp
BEGIN ATOMIC
  SELECT a.absence_id FROM sdbc.absence a
   WHERE a.staff_id = ab_recorded_absence.principal AND a.recorded_by = ab_recorded_absence.backup
     AND (upper_inf(a.during) OR upper(a.during) > CURRENT_DATE)
   ORDER BY a.absence_id LIMIT 1;
END;
COMMENT ON FUNCTION sdbc.ab_recorded_absence(bigint, bigint) IS
  'Internal (trigger sdbc.post_check): a current, coming or open-ended absence of principal that backup recorded, read with the owner''s rights (SD516, R7.3) 乙登记的甲缺勤';

-- Posts: A and B differ (R7.3); a grid leader post belongs to the grid's
-- community and is held by its staff (R7.4); A and B are not absent at
-- overlapping times.
CREATE FUNCTION sdbc.post_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  g sdbc.grid;
  who bigint;
BEGIN
  IF NEW.principal = NEW.backup THEN
    RAISE EXCEPTION USING ERRCODE = 'SD506',
      MESSAGE = format('staff %s cannot be both principal (A) and backup (B) of a post', NEW.principal),
      DETAIL = 'R7.3: every post has a principal and a backup, two different people.',
      HINT = 'Name another person as backup.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.post_post_id_seq', NEW.post_id) THEN
    RETURN NEW;   -- a restore: staff moves and absences may not be back yet
  END IF;
  IF NEW.office = 'grid_leader' AND NEW.grid_code IS NOT NULL THEN
    SELECT * INTO g FROM sdbc.grid WHERE grid_code = NEW.grid_code;
    IF FOUND AND g.community <> NEW.division THEN
      RAISE EXCEPTION USING ERRCODE = 'SD507',
        MESSAGE = format('grid %s belongs to community %s, not %s', NEW.grid_code, g.community, NEW.division),
        DETAIL = 'R7.4: a grid leader post is a post of the grid''s community.',
        HINT = format('Set the post''s division to %s.', g.community);
    END IF;
    FOREACH who IN ARRAY ARRAY[NEW.principal, NEW.backup] LOOP
      IF sdbc.staff_division(who, CURRENT_DATE) IS DISTINCT FROM NEW.division THEN
        RAISE EXCEPTION USING ERRCODE = 'SD507',
          MESSAGE = format('staff %s does not serve community %s, the community of grid %s',
                           who, NEW.division, NEW.grid_code),
          DETAIL = 'R7.4: a grid leader (A or B) must be community staff of the grid''s community.',
          HINT = 'Choose staff of that community, or record the person''s move there first (sdbc.staff_move).';
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.principal <> OLD.principal OR NEW.backup <> OLD.backup THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (x.id % 2147483647)::integer)
       FROM (SELECT DISTINCT unnest(ARRAY[NEW.principal, NEW.backup]) AS id ORDER BY 1) x;
    PERFORM sdbc.staff_absence_lock(ARRAY[NEW.principal, NEW.backup]);
    -- (after the locks: an absence written at the same time is seen)
    -- B may not be made backup of an A whose absence, current, to come or
    -- open-ended, B recorded himself: he would act for A on it (SD516)
    -- (read with the engine's rights, whatever the caller sees)
    who := sdbc.ab_recorded_absence(NEW.principal, NEW.backup);
    IF who IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s recorded absence %s of staff %s and cannot be his backup (B) while it lasts',
                         NEW.backup, who, NEW.principal),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Name another backup, or let A, the street office or another colleague record the absence again.';
    END IF;
    IF sdbc.ab_absences_overlap(NEW.principal, NEW.backup) THEN   -- with the engine's rights
      RAISE EXCEPTION USING ERRCODE = 'SD508',
        MESSAGE = format('staff %s and %s are absent at overlapping times', NEW.principal, NEW.backup),
        DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time.',
        HINT = 'Choose a backup who is present whenever the principal is absent.';
    END IF;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.post_check() IS
  'Trigger on sdbc.post: A and B differ (SD506, R7.3); B did not record a current or coming absence of A (SD516); a grid leader post is of the grid''s community and held by its staff (SD507, R7.4); A and B have no overlapping absences (SD508), serialised against absences written at the same time (advisory lock per person, sdbc.staff_absence_lock). A restored row gets only SD506';
CREATE TRIGGER post_check BEFORE INSERT OR UPDATE ON sdbc.post
  FOR EACH ROW EXECUTE FUNCTION sdbc.post_check();

-- Absences: lock the person (advisory), then the lock rows of the person and
-- of every A/B partner (ascending), then look for the partners' absences.
CREATE FUNCTION sdbc.absence_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  clash record;
  post_id bigint;
  recording boolean := TG_OP = 'INSERT' AND NOT sdbc.is_restored_row('sdbc.absence_absence_id_seq', NEW.absence_id);
BEGIN
  -- who records it: the login's own person (a restored row keeps its recorder)
  IF recording THEN
    IF NEW.recorded_by IS NULL THEN
      NEW.recorded_by := sdbc.my_staff_id();
    END IF;
    PERFORM sdbc.check_login_is('sdbc.absence', NEW.recorded_by, 'record an absence');
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('sdbc.absence_ab'), (NEW.staff_id % 2147483647)::integer);
  PERFORM sdbc.staff_absence_lock(NEW.staff_id || ARRAY(
            SELECT CASE WHEN p.principal = NEW.staff_id THEN p.backup ELSE p.principal END
              FROM sdbc.post p WHERE p.principal = NEW.staff_id OR p.backup = NEW.staff_id));

  -- (after the locks: a post written at the same time is seen) not A's
  -- backup, who would then act for A (R7.3)
  IF recording AND NEW.recorded_by IS NOT NULL THEN
    -- (read with the engine's rights, whatever the caller sees)
    post_id := sdbc.ab_backup_post(NEW.staff_id, NEW.recorded_by);
    IF post_id IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'SD516',
        MESSAGE = format('staff %s is the backup (B) of staff %s on post %s and cannot record his absence',
                         NEW.recorded_by, NEW.staff_id, post_id),
        DETAIL = 'R7.3: B acts for A while A is recorded absent; B recording it would let one person sign in two offices.',
        HINT = 'Let A, the street office or another colleague record the absence.';
    END IF;
  END IF;

  -- the partners' absences, read with the engine's rights (R7.3, whatever the caller sees)
  SELECT c.post_id, c.office, c.division, c.partner, c.partner_during AS during
    INTO clash
    FROM sdbc.ab_absence_clash(NEW.staff_id, NEW.during, NEW.absence_id) c;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SD508',
      MESSAGE = format('staff %s would be absent %s while staff %s, the other of post %s (%s, %s), is absent %s',
                       NEW.staff_id, NEW.during, clash.partner, clash.post_id, clash.office, clash.division, clash.during),
      DETAIL = 'R7.3, R12.2: the principal (A) and backup (B) of a post are never absent at the same time, so that one of them is always on post.',
      HINT = 'Move one of the absences, or name another backup for the post first.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.absence_check() IS
  'Trigger on sdbc.absence: the recorder is the login''s own staff member (SD317, SD318) and not the backup (B) of the absent principal (SD516); locks the person and their A/B partners (advisory lock, sdbc.staff_absence_lock) and refuses an absence that overlaps one of a partner''s (SD508, R7.3)';
CREATE TRIGGER absence_check BEFORE INSERT OR UPDATE OF staff_id, during ON sdbc.absence
  FOR EACH ROW EXECUTE FUNCTION sdbc.absence_check();

-- Who holds each post on a day: A, or B acting for A while A is absent (R7.3).
CREATE FUNCTION sdbc.post_holder(on_date date DEFAULT CURRENT_DATE)
  RETURNS TABLE (post_id bigint, office text, division sdbc.divcode, grid_code bigint,
                 principal bigint, backup bigint, principal_absent boolean, holder bigint)
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT p.post_id, p.office, p.division, p.grid_code, p.principal, p.backup, x.absent,
         CASE WHEN x.absent THEN p.backup ELSE p.principal END
    FROM sdbc.post p,
         LATERAL (SELECT EXISTS (SELECT 1 FROM sdbc.absence a
                                  WHERE a.staff_id = p.principal AND a.during @> on_date) AS absent) x
   ORDER BY p.post_id;
END;
COMMENT ON FUNCTION sdbc.post_holder(date) IS
  'Every post on a date with the person holding it: the principal (A), or the backup (B) acting for A while A is absent (R7.3; the approval engine records such acts as acting_for)';

CREATE VIEW sdbc.grid_without_leader AS
  SELECT g.grid_code, g.community, g.name
    FROM sdbc.grid g
   WHERE g.valid_to IS NULL
     AND NOT EXISTS (SELECT 1 FROM sdbc.post p WHERE p.grid_code = g.grid_code);
COMMENT ON VIEW sdbc.grid_without_leader IS 'Live grids with no grid leader post 网格长 (R7.3, R7.4: every grid has one, with A and B)';
COMMENT ON COLUMN sdbc.grid_without_leader.grid_code IS 'grid code 网格编码';
COMMENT ON COLUMN sdbc.grid_without_leader.community IS 'community 社区';
COMMENT ON COLUMN sdbc.grid_without_leader.name IS 'grid name';

-- Household visits 入户走访 (R12.2).
CREATE TABLE sdbc.household_visit (
  visit_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES sdbc.household (household_id),
  staff_id      bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  visited_on    date NOT NULL CONSTRAINT household_visit_visited_on_finite CHECK (isfinite(visited_on)),
  note          text
);
COMMENT ON TABLE sdbc.household_visit IS
  'Household visits 入户走访 (R12.2): a staff member of the household''s community visits it on a day; never in the future';
COMMENT ON COLUMN sdbc.household_visit.visit_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.household_visit.household_id IS 'household visited 户';
COMMENT ON COLUMN sdbc.household_visit.staff_id IS 'who visited 走访人';
COMMENT ON COLUMN sdbc.household_visit.visited_on IS 'day of the visit 走访日期';
COMMENT ON COLUMN sdbc.household_visit.note IS 'what was found 走访情况';
CREATE INDEX household_visit_household_idx ON sdbc.household_visit (household_id, visited_on);
CREATE INDEX household_visit_day_idx ON sdbc.household_visit (visited_on);
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.household_visit_visit_id_seq', '');

CREATE FUNCTION sdbc.household_visit_check() RETURNS trigger LANGUAGE plpgsql
  SET search_path = sdbc, pg_catalog, pg_temp AS $$
DECLARE
  community sdbc.divcode;
BEGIN
  IF NEW.visited_on > CURRENT_DATE THEN
    RAISE EXCEPTION USING ERRCODE = 'SD509',
      MESSAGE = format('a visit dated %s lies in the future', NEW.visited_on),
      DETAIL = 'R12.2: a visit is recorded after it took place.',
      HINT = 'Record the visit on the day it happened, or later.';
  END IF;
  IF TG_OP = 'INSERT' AND sdbc.is_restored_row('sdbc.household_visit_visit_id_seq', NEW.visit_id) THEN
    RETURN NEW;   -- a restore: the staff's moves may not be back yet
  END IF;
  -- a visit is recorded by the login of the person who made it (R12.2)
  PERFORM sdbc.check_login_is('sdbc.household_visit', NEW.staff_id, 'record a visit');
  SELECT h.community INTO community FROM sdbc.household h WHERE h.household_id = NEW.household_id;
  -- recorded within policy visit.backdate.max_days of the visit, except by
  -- the table's owner or a superuser (a migration of old records): a visit
  -- recorded long after would fake the R12.2 figures (session-4 review)
  IF FOUND AND (TG_OP = 'INSERT' OR NEW.visited_on IS DISTINCT FROM OLD.visited_on)
     AND NEW.visited_on < CURRENT_DATE - sdbc.policy_value('visit.backdate.max_days', community)::integer
     AND NOT pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c
                                                     WHERE c.oid = 'sdbc.household_visit'::pg_catalog.regclass), 'MEMBER') THEN
    RAISE EXCEPTION USING ERRCODE = 'SD517',
      MESSAGE = pg_catalog.format('a visit of %s is recorded more than %s days after it', NEW.visited_on,
                                  sdbc.policy_value('visit.backdate.max_days', community)),
      DETAIL = 'R12.2: visits are recorded when they happen, so that the figures of households visited tell the truth.',
      HINT = 'Record visits within the days policy visit.backdate.max_days allows (a county may set its own).';
  END IF;
  IF FOUND AND sdbc.staff_division(NEW.staff_id, NEW.visited_on) IS DISTINCT FROM community THEN
    RAISE EXCEPTION USING ERRCODE = 'SD510',
      MESSAGE = format('staff %s did not serve community %s on %s', NEW.staff_id, community, NEW.visited_on),
      DETAIL = 'R12.2, R7.4: households are visited by the staff of their own community (people into the grid).',
      HINT = 'Record the visit under a staff member of the household''s community.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION sdbc.household_visit_check() IS
  'Trigger on sdbc.household_visit: not in the future (SD509, also for a restored row), recorded by the visitor''s own login (SD317, SD318), by staff of the household''s community on that day (SD510)';
CREATE TRIGGER household_visit_check BEFORE INSERT OR UPDATE ON sdbc.household_visit
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_visit_check();

-- Grids where no household was visited on a day (R12.2).
CREATE FUNCTION sdbc.grid_not_visited(on_date date, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (grid_code bigint, community sdbc.divcode, households bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT g.grid_code, g.community, count(h.household_id)
    FROM sdbc.grid g
    JOIN sdbc.building b ON b.grid_code = g.grid_code
    JOIN sdbc.household h ON h.building_id = b.building_id
   WHERE g.valid_from <= on_date AND (g.valid_to IS NULL OR g.valid_to > on_date)
     AND (under IS NULL OR g.community OPERATOR(sdbc.<@) under)
     AND NOT EXISTS (SELECT 1 FROM sdbc.household_visit v
                       JOIN sdbc.household h2 ON h2.household_id = v.household_id
                       JOIN sdbc.building b2 ON b2.building_id = h2.building_id
                      WHERE v.visited_on = on_date AND b2.grid_code = g.grid_code)
   GROUP BY g.grid_code, g.community
   ORDER BY g.grid_code;
END;
COMMENT ON FUNCTION sdbc.grid_not_visited(date, sdbc.divcode) IS
  'Live grids with households (under a division; NULL: all) where no household was visited on the day (R12.2: someone visits households every day)';

-- Households with key population not visited within the policy interval (R12.1, R12.2).
CREATE FUNCTION sdbc.key_household_unvisited(on_date date DEFAULT CURRENT_DATE, under sdbc.divcode DEFAULT NULL)
  RETURNS TABLE (household_id bigint, community sdbc.divcode, grid_code bigint, last_visit date, max_days numeric)
  LANGUAGE sql STABLE PARALLEL RESTRICTED
BEGIN ATOMIC
  SELECT h.household_id, h.community, b.grid_code, lv.last_visit,
         sdbc.policy_value('visit.key_population.max_days', h.community, on_date)
    FROM sdbc.household h
    JOIN sdbc.building b ON b.building_id = h.building_id
    LEFT JOIN LATERAL (SELECT max(v.visited_on) AS last_visit FROM sdbc.household_visit v
                        WHERE v.household_id = h.household_id AND v.visited_on <= on_date) lv ON true
   WHERE EXISTS (SELECT 1 FROM sdbc.resident r WHERE r.household_id = h.household_id AND r.key_population)
     AND (under IS NULL OR h.community OPERATOR(sdbc.<@) under)
     AND (lv.last_visit IS NULL
          OR on_date - lv.last_visit > sdbc.policy_value('visit.key_population.max_days', h.community, on_date))
   ORDER BY h.household_id;
END;
COMMENT ON FUNCTION sdbc.key_household_unvisited(date, sdbc.divcode) IS
  'Households with key population 重点人口 (R12.1) whose last visit up to the date is older than policy visit.key_population.max_days, or who were never visited (R12.2)';
