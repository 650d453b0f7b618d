-- People in offices, as far as the approval engine needs them (R3, R7.3);
-- the staff capability (R2, R6, R12) builds on these tables.

CREATE TABLE sdbc.staff (
  staff_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CONSTRAINT staff_name_not_blank CHECK (btrim(name) <> ''),
  id_number    sdbc.idcard UNIQUE,
  division     sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  -- R2: who the person is, for the staffing figures and the R2.x checks
  category     text CONSTRAINT staff_category_known
                 CHECK (category IN ('administrative', 'institutional', 'public_welfare', 'contract')),
  sex          text CONSTRAINT staff_sex_known CHECK (sex IN ('male', 'female')),
  education    text CONSTRAINT staff_education_known
                 CHECK (education IN ('postgraduate', 'bachelor', 'associate', 'secondary', 'below_secondary')),
  rank         text CONSTRAINT staff_rank_known CHECK (rank IN ('full_section', 'deputy_section')),
  party_member boolean NOT NULL DEFAULT false,
  street_leader boolean NOT NULL DEFAULT false,
  CONSTRAINT staff_leader_at_street CHECK (NOT street_leader OR sdbc.divcode_level(division) = 4)
);
COMMENT ON TABLE sdbc.staff IS 'Staff 工作人员 of streets and communities (personal data: name, identity number)';
COMMENT ON COLUMN sdbc.staff.staff_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.staff.name IS 'name 姓名 (personal data)';
COMMENT ON COLUMN sdbc.staff.id_number IS 'identity number 公民身份号码 (personal data)';
COMMENT ON COLUMN sdbc.staff.division IS 'division where the person serves now 工作单位; kept by sdbc.staff_move (R2.3), as of a date see sdbc.staff_division()';
COMMENT ON COLUMN sdbc.staff.category IS 'establishment 编制 (R2): administrative 行政编制 or institutional 事业编制 (both national cadres 国家干部), public_welfare 公益性岗位, contract 聘用人员; NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.sex IS 'male 男 or female 女 (R2 staffing figures); NULL when not recorded';
COMMENT ON COLUMN sdbc.staff.education IS 'highest education 学历: postgraduate 研究生, bachelor 本科, associate 大专, secondary 中专/高中, below_secondary 初中及以下';
COMMENT ON COLUMN sdbc.staff.rank IS 'rank 职级: full_section 正科级 or deputy_section 副科级 (e.g. two-committee heads); NULL otherwise';
COMMENT ON COLUMN sdbc.staff.party_member IS 'member of the Communist Party 党员 (R6.1)';
COMMENT ON COLUMN sdbc.staff.street_leader IS 'member of the street leadership 街道领导班子 (R2.2: at most policy street.leadership.max per street; only while serving a street)';

CREATE TABLE sdbc.office (
  office   text PRIMARY KEY,
  level    integer NOT NULL CHECK (level BETWEEN 1 AND 5),
  name_zh  text NOT NULL,
  name_en  text NOT NULL,
  builtin  boolean NOT NULL DEFAULT false,
  UNIQUE (office, level)
);
COMMENT ON TABLE sdbc.office IS 'Offices that act on cases, each at one level of the division tree (4 street, 5 community, 3 county)';
COMMENT ON COLUMN sdbc.office.office IS 'identifier';
COMMENT ON COLUMN sdbc.office.level IS 'division level the office sits at';
COMMENT ON COLUMN sdbc.office.name_zh IS 'Chinese name 中文名称';
COMMENT ON COLUMN sdbc.office.name_en IS 'English name';
COMMENT ON COLUMN sdbc.office.builtin IS 'shipped by the extension (not dumped); a county adds its own departments';
INSERT INTO sdbc.office (office, level, name_zh, name_en, builtin) VALUES
  ('community_handler',      5, '社区经办人',     'community handler', true),
  ('community_finance_lead', 5, '社区财务负责人', 'community finance lead', true),
  ('street_finance_office',  4, '街道财务办',     'street finance office', true),
  ('street_party_committee', 4, '街道党工委',     'street party working committee', true),
  ('county_department',      3, '县直部门',       'county department', true);
SELECT pg_catalog.pg_extension_config_dump('sdbc.office', 'WHERE NOT builtin');

CREATE TABLE sdbc.office_member (
  staff_id    bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  office      text NOT NULL,
  division    sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  level       integer NOT NULL GENERATED ALWAYS AS (sdbc.divcode_level(division)) STORED,
  valid_from  date NOT NULL DEFAULT CURRENT_DATE,
  valid_to    date,
  PRIMARY KEY (staff_id, office, division, valid_from),
  FOREIGN KEY (office, level) REFERENCES sdbc.office (office, level),
  CONSTRAINT office_member_period CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE sdbc.office_member IS 'Who belongs to an office for a division, and when; the division''s level must be the office''s';
COMMENT ON COLUMN sdbc.office_member.staff_id IS 'staff member';
COMMENT ON COLUMN sdbc.office_member.office IS 'office';
COMMENT ON COLUMN sdbc.office_member.division IS 'division the office serves (a community, a street, a county)';
COMMENT ON COLUMN sdbc.office_member.level IS 'level of the division (generated), checked against the office''s level';
COMMENT ON COLUMN sdbc.office_member.valid_from IS 'first day of membership';
COMMENT ON COLUMN sdbc.office_member.valid_to IS 'first day no longer a member; NULL while a member';
CREATE INDEX office_member_office_idx ON sdbc.office_member (office, division);

CREATE TABLE sdbc.post (
  post_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  office     text NOT NULL REFERENCES sdbc.office (office),
  division   sdbc.divcode NOT NULL REFERENCES sdbc.division (code),
  principal  bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  backup     bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  grid_code  bigint REFERENCES sdbc.grid (grid_code),
  CONSTRAINT post_a_b_differ CHECK (principal <> backup),
  CONSTRAINT post_grid_leader_has_grid CHECK ((office = 'grid_leader') = (grid_code IS NOT NULL))
);
COMMENT ON TABLE sdbc.post IS 'A/B posts AB岗 (R7.3): every post has a principal (A) and a named backup (B), two different people; B acts for A while A is absent';
COMMENT ON COLUMN sdbc.post.post_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.post.office IS 'office of the post';
COMMENT ON COLUMN sdbc.post.division IS 'division of the post';
COMMENT ON COLUMN sdbc.post.principal IS 'A: the principal';
COMMENT ON COLUMN sdbc.post.backup IS 'B: the named backup';
COMMENT ON COLUMN sdbc.post.grid_code IS 'grid 网格 of a grid-leader post 网格长 (R7.4); NULL for every other office';
CREATE UNIQUE INDEX post_one_leader_per_grid ON sdbc.post (grid_code) WHERE grid_code IS NOT NULL;
CREATE INDEX post_principal_idx ON sdbc.post (principal);
CREATE INDEX post_backup_idx ON sdbc.post (backup);

CREATE TABLE sdbc.absence (
  absence_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_id    bigint NOT NULL REFERENCES sdbc.staff (staff_id),
  during      daterange NOT NULL CONSTRAINT absence_not_empty CHECK (NOT isempty(during)),
  reason      text NOT NULL CONSTRAINT absence_reason_known CHECK (reason IN ('leave', 'training', 'sickness', 'other')),
  recorded_by bigint REFERENCES sdbc.staff (staff_id)
);
COMMENT ON TABLE sdbc.absence IS 'Absences 请假/培训/病假 of staff, as date ranges; while the principal of a post is absent its backup acts (R7.3)';
COMMENT ON COLUMN sdbc.absence.absence_id IS 'surrogate key';
COMMENT ON COLUMN sdbc.absence.staff_id IS 'who is absent';
COMMENT ON COLUMN sdbc.absence.during IS 'the days absent (date range)';
COMMENT ON COLUMN sdbc.absence.reason IS 'leave, training, sickness or other';
COMMENT ON COLUMN sdbc.absence.recorded_by IS 'who recorded it 登记人: the login''s own staff member (sdbc.role_staff), never the backup (B) of the absent principal (A), who would then act for A (SD516, R7.3); NULL for the administrator''s rows';
CREATE INDEX absence_staff_idx ON sdbc.absence (staff_id);

SELECT pg_catalog.pg_extension_config_dump('sdbc.staff', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.staff_staff_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.office_member', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.post', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.post_post_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.absence', '');
SELECT pg_catalog.pg_extension_config_dump('sdbc.absence_absence_id_seq', '');

-- Working days (deadlines): weekends off, listed days override; a region's
-- or a county's days override the nation's (R14.1).  Built-in rows are the
-- published arrangements (sql/83_calendar_data.sql), read-only.
CREATE TABLE sdbc.calendar_day (
  day       date NOT NULL CONSTRAINT calendar_day_finite CHECK (day > '-infinity' AND day < 'infinity'),
  working   boolean NOT NULL,
  name      text NOT NULL,
  division  sdbc.divcode,
  builtin   boolean NOT NULL DEFAULT false,
  CONSTRAINT calendar_day_key UNIQUE NULLS NOT DISTINCT (division, day)
);
COMMENT ON TABLE sdbc.calendar_day IS
  'Exceptions to Monday–Friday working weeks: public holidays (working = false) and make-up working weekend days 调休 (working = true), as the State Council publishes them each year, and a region''s or a county''s own (Xinjiang''s 肉孜节, 古尔邦节), inherited down the division tree (R8.1, R14.1)';
COMMENT ON COLUMN sdbc.calendar_day.day IS 'the day';
COMMENT ON COLUMN sdbc.calendar_day.working IS 'true for a working weekend day, false for a holiday';
COMMENT ON COLUMN sdbc.calendar_day.name IS 'name, e.g. 国庆节 National Day';
COMMENT ON COLUMN sdbc.calendar_day.division IS
  'whose day it is: NULL for the whole country, else a region, prefecture or county whose divisions below inherit it; on the same day the most specific division''s row holds';
COMMENT ON COLUMN sdbc.calendar_day.builtin IS 'shipped with the extension (a published arrangement): read-only, not dumped (SD110)';
-- Rows users add are dumped; built-in rows come with the extension.
SELECT pg_catalog.pg_extension_config_dump('sdbc.calendar_day', 'WHERE NOT builtin');

CREATE TRIGGER calendar_cache_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdbc.calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.cache_invalidate();
CREATE TRIGGER calendar_cache_invalidate_replica AFTER INSERT OR UPDATE OR DELETE ON sdbc.calendar_day
  FOR EACH ROW EXECUTE FUNCTION sdbc.cache_invalidate();
ALTER TABLE sdbc.calendar_day ENABLE REPLICA TRIGGER calendar_cache_invalidate_replica;
COMMENT ON TRIGGER calendar_cache_invalidate ON sdbc.calendar_day IS
  'Backends reload their cached working-day calendar 工作日历 after a change made on this node commits (src/table_cache.c); a TRUNCATE, also one applied by logical replication, invalidates them through the new relfilenode';
COMMENT ON TRIGGER calendar_cache_invalidate_replica ON sdbc.calendar_day IS
  'The same for rows written by logical replication (the apply worker and the initial copy run with session_replication_role = replica, where only REPLICA or ALWAYS triggers fire, and the apply worker fires row triggers only), so a shard''s open sessions see the coordinator''s change (docs/architecture.md, Caches)';

CREATE FUNCTION sdbc.is_working_day(d date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'is_working_day_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.is_working_day(date) IS 'True on Monday–Friday unless the nation''s calendar lists it as a holiday, and on its make-up weekend days (sdbc.calendar_day rows without a division, cached per backend); a division''s: is_working_day(d, division)';

CREATE FUNCTION sdbc.add_working_days(d date, n integer) RETURNS date
  AS 'MODULE_PATHNAME', 'add_working_days_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer) IS 'The n-th working day after d (d itself for n <= 0): deadlines of n working days';

CREATE FUNCTION sdbc.working_days_between(a date, b date) RETURNS integer
  AS 'MODULE_PATHNAME', 'working_days_between_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.working_days_between(date, date) IS 'Working days after a up to and including b (0 when b <= a)';

-- The same by a division's calendar: the nation's days, overridden by its
-- region's, prefecture's and county's (R14.1).  Deadlines use the case's.
CREATE FUNCTION sdbc.is_working_day(d date, division sdbc.divcode) RETURNS boolean
  AS 'MODULE_PATHNAME', 'is_working_day_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.is_working_day(date, sdbc.divcode) IS
  'True if d is a working day in the division: its own, its ancestors'' and the nation''s calendar days, the most specific first (R14.1)';
CREATE FUNCTION sdbc.add_working_days(d date, n integer, division sdbc.divcode) RETURNS date
  AS 'MODULE_PATHNAME', 'add_working_days_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.add_working_days(date, integer, sdbc.divcode) IS
  'The n-th working day after d in the division''s calendar (d itself for n <= 0): deadlines of n working days (R4.2, R14.1)';
CREATE FUNCTION sdbc.working_days_between(a date, b date, division sdbc.divcode) RETURNS integer
  AS 'MODULE_PATHNAME', 'working_days_between_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sdbc.working_days_between(date, date, sdbc.divcode) IS
  'Working days after a up to and including b in the division''s calendar (0 when b <= a)';
