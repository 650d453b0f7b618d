-- Who sees what (issue 8; docs/security.md): the roles shipped with the
-- extension, the mapping of login roles to the divisions they serve, the
-- functions that tell a role's jurisdiction, and the views that show
-- residents and staff with their ID numbers masked unless the caller may
-- read them in full.  Loaded before the service matters, whose eligibility
-- predicates read sdbc.resident_masked; the row-level security that uses
-- these functions is in sql/security/roles.sql.
--
-- Group roles (cluster-wide: created when missing, left behind by DROP
-- EXTENSION).  NOLOGIN: grant them to login roles.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['sdbc_prefecture_admin', 'sdbc_county_department', 'sdbc_street_office',
                           'sdbc_community_staff', 'sdbc_id_reader'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;

-- Login role → division(s) served.
CREATE TABLE sdbc.role_division (
  role_name  name NOT NULL CONSTRAINT role_division_role_not_blank CHECK (btrim(role_name) <> ''),
  division   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  office     text REFERENCES sdbc.office (office),
  note       text,
  CONSTRAINT role_division_unique UNIQUE NULLS NOT DISTINCT (role_name, division, office)
);
COMMENT ON TABLE sdbc.role_division IS
  'Which divisions a login (or group) role serves 管辖范围: without office, the division and everything below it (community staff: a community, a street office: a street, the prefecture: a prefecture); with office, only the cases and tasks routed to that office (a county department 县直部门) inside the division. Written by the extension owner; each role reads its own rows';
COMMENT ON COLUMN sdbc.role_division.role_name IS 'login or group role (by name, like pg_hba.conf; a mapping of a dropped role is inert)';
COMMENT ON COLUMN sdbc.role_division.division IS 'division 行政区划 served, with everything below it';
COMMENT ON COLUMN sdbc.role_division.office IS 'office 部门 (e.g. county_department): the role sees cases routed to this office and tasks handed down by it, inside the division; NULL: the whole division';
COMMENT ON COLUMN sdbc.role_division.note IS 'free text';
SELECT pg_catalog.pg_extension_config_dump('sdbc.role_division', '');

ALTER TABLE sdbc.role_division ENABLE ROW LEVEL SECURITY;
CREATE POLICY role_division_own ON sdbc.role_division FOR SELECT
  USING (EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = role_division.role_name
                    AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE')));
COMMENT ON POLICY role_division_own ON sdbc.role_division IS 'A role reads the mappings of itself and of the roles it is a member of';

-- The caller's jurisdiction.  These run as the caller (not SECURITY
-- DEFINER): inside a SECURITY DEFINER function current_user is the owner,
-- so it could not tell whose divisions to return.  The mapping table's own
-- policy limits them to the caller's rows, and they filter again.
CREATE FUNCTION sdbc.my_divisions() RETURNS sdbc.divcode[]
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT coalesce(array_agg(DISTINCT d.division), '{}')
    FROM sdbc.role_division d
   WHERE d.office IS NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_divisions() IS
  'Divisions the current role serves whole (sdbc.role_division rows without office, of itself and the roles it is a member of); the row-level security policies compare a row''s division with these (OPERATOR(sdbc.<@) ANY)';

CREATE FUNCTION sdbc.my_offices() RETURNS TABLE (office text, division sdbc.divcode)
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT DISTINCT d.office, d.division
    FROM sdbc.role_division d
   WHERE d.office IS NOT NULL
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles g
                  WHERE g.rolname = d.role_name AND pg_catalog.pg_has_role(current_user, g.oid, 'USAGE'))
  $$;
COMMENT ON FUNCTION sdbc.my_offices() IS
  'Offices the current role acts as, each inside a division (sdbc.role_division rows with office): a county department sees the cases routed to its office and the tasks it handed down there';

CREATE FUNCTION sdbc.serves(d sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT d OPERATOR(sdbc.<@) ANY (sdbc.my_divisions()) $$;
COMMENT ON FUNCTION sdbc.serves(sdbc.divcode) IS
  'True when the current role serves division d: one of its mapped divisions (sdbc.my_divisions()) is d or an ancestor of d';

CREATE FUNCTION sdbc.case_routed_to_me(route_code text, route_version integer, division sdbc.divcode) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$
  SELECT EXISTS (SELECT 1 FROM sdbc.route_step s JOIN sdbc.my_offices() m ON m.office = s.office
                  WHERE s.route_code = case_routed_to_me.route_code AND s.version = case_routed_to_me.route_version
                    AND case_routed_to_me.division OPERATOR(sdbc.<@) m.division)
  $$;
COMMENT ON FUNCTION sdbc.case_routed_to_me(text, integer, sdbc.divcode) IS
  'True when a step of the route (version) is one of the current role''s offices (sdbc.my_offices()) and the case''s division lies inside that office''s division: what a county department sees';

CREATE FUNCTION sdbc.sees_all() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = sdbc, pg_catalog, pg_temp
  AS $$ SELECT coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false) $$;
COMMENT ON FUNCTION sdbc.sees_all() IS
  'True for a superuser or a role with BYPASSRLS, whom row-level security does not filter; the masked views filter the same way';

GRANT SELECT ON sdbc.role_division TO PUBLIC;

-- ID numbers masked unless the caller is a member of sdbc_id_reader.  The
-- views run with their owner's rights (the staff roles may not read the
-- id_number columns) and so filter rows themselves, exactly as the tables'
-- policies do; current_user inside a view is the caller.
CREATE VIEW sdbc.resident_masked WITH (security_barrier) AS
  SELECT r.resident_id, r.household_id, h.community,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN r.id_number::text
              ELSE sdbc.idcard_mask(s.shown) END AS id_number,
         sdbc.idcard_age(r.id_number) AS age,
         r.name, r.floating, r.key_population, r.key_reason
    FROM sdbc.resident r JOIN sdbc.household h USING (household_id)
         -- the number shown to staff: the latest number entered for the
         -- resident while pending or held by another resident, else his own (R9.1)
         CROSS JOIN LATERAL (
           SELECT coalesce((SELECT CASE WHEN a.outcome IN ('pending', 'held_elsewhere') THEN a.id_number END
                              FROM sdbc.id_number_attempt a
                             WHERE a.resident_id = r.resident_id AND a.outcome <> 'resolved'
                             ORDER BY a.attempt_id DESC LIMIT 1), r.id_number) AS shown) s
   WHERE sdbc.sees_all() OR h.community OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.resident_masked IS
  'Residents 居民 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.resident.id_number); for staff, a number entered shows as entered, pending or held by another resident alike (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.resident_id IS 'resident';
COMMENT ON COLUMN sdbc.resident_masked.household_id IS 'household 户';
COMMENT ON COLUMN sdbc.resident_masked.community IS 'community 社区';
COMMENT ON COLUMN sdbc.resident_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask), as staff last entered it (sdbc.id_number_attempt)';
COMMENT ON COLUMN sdbc.resident_masked.age IS 'age today 年龄, from the identity number the HR office applied (sdbc.resident.id_number; NULL without one, and while an entered number is pending): eligibility reads it (R4.2, R9.1)';
COMMENT ON COLUMN sdbc.resident_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.resident_masked.floating IS 'floating population 流动人口';
COMMENT ON COLUMN sdbc.resident_masked.key_population IS 'key population 重点人口';
COMMENT ON COLUMN sdbc.resident_masked.key_reason IS 'why key population';

CREATE VIEW sdbc.staff_masked WITH (security_barrier) AS
  SELECT s.staff_id, s.name,
         CASE WHEN pg_catalog.pg_has_role(current_user, 'sdbc_id_reader', 'USAGE') THEN s.id_number::text
              ELSE sdbc.idcard_mask(s.id_number) END AS id_number,
         s.division, s.category, s.sex, s.education, s.rank, s.party_member, s.street_leader
    FROM sdbc.staff s
   WHERE sdbc.sees_all() OR s.division OPERATOR(sdbc.<@) ANY ((SELECT sdbc.my_divisions())::sdbc.divcode[]);
COMMENT ON VIEW sdbc.staff_masked IS
  'Staff 工作人员 the caller serves, ID numbers masked 脱敏 unless the caller is a member of sdbc_id_reader (the staff roles cannot read sdbc.staff.id_number)';
COMMENT ON COLUMN sdbc.staff_masked.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.staff_masked.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff_masked.id_number IS 'identity number 公民身份号码: in full for members of sdbc_id_reader, else masked (sdbc.idcard_mask)';
COMMENT ON COLUMN sdbc.staff_masked.division IS 'division served now 工作单位';
COMMENT ON COLUMN sdbc.staff_masked.category IS 'establishment 编制';
COMMENT ON COLUMN sdbc.staff_masked.sex IS 'sex 性别';
COMMENT ON COLUMN sdbc.staff_masked.education IS 'education 学历';
COMMENT ON COLUMN sdbc.staff_masked.rank IS 'rank 职级';
COMMENT ON COLUMN sdbc.staff_masked.party_member IS 'party member 党员';
COMMENT ON COLUMN sdbc.staff_masked.street_leader IS 'street leadership 街道领导班子';
