-- Staff move down (R2.1–R2.4): staff attributes, the history of moves, the
-- hard limits (leadership R2.2, community minimum R2.4 while the policy
-- makes it hard), the compliance report, and the paper's staffing figures.
SET search_path = sdbc, public;
\set SHOW_CONTEXT never
ALTER SEQUENCE staff_staff_id_seq RESTART;
ALTER SEQUENCE staff_move_move_id_seq RESTART;
INSERT INTO division (code, name, key_complex) VALUES ('65', '新疆', false), ('6529', '阿克苏地区', false),
  ('652901', '阿克苏市', false), ('652901001', '兰干街道', false), ('652901002', '英巴扎街道', false),
  ('652901001001', '前进社区', true), ('652901001002', '友谊社区', false), ('652901002001', '团结社区', false);

-- Ten cadres of 兰干街道 (1–10), five of them its leadership (R2.2).
INSERT INTO staff (name, division, category, sex, education, rank, party_member, street_leader)
SELECT '街道干部' || i, '652901001', 'institutional', CASE WHEN i % 3 = 0 THEN 'female' ELSE 'male' END,
       CASE WHEN i <= 4 THEN 'bachelor' ELSE 'associate' END,
       CASE WHEN i = 1 THEN 'full_section' WHEN i <= 3 THEN 'deputy_section' END, i <= 6, i <= 5
  FROM generate_series(1, 10) i;
-- 友谊社区: six national cadres (11–16), two contract hires (17, 18); an ID number of the registry's type.
INSERT INTO staff (name, division, category, sex, education)
SELECT '友谊干部' || i, '652901001002', 'administrative', 'female', 'secondary' FROM generate_series(11, 16) i;
INSERT INTO staff (name, division, category, sex, education, id_number) VALUES
  ('友谊聘用甲', '652901001002', 'contract', 'male', 'below_secondary', '652901198001010011'),
  ('友谊聘用乙', '652901001002', 'public_welfare', 'female', 'associate', NULL);
SELECT staff_id, name, idcard_sex(id_number) AS sex_from_id FROM staff WHERE id_number IS NOT NULL;
-- Unknown attribute values are refused by their checks.
INSERT INTO staff (name, division, category) VALUES ('x', '652901001002', 'volunteer');
INSERT INTO staff (name, division, street_leader) VALUES ('x', '652901001002', true);

-- A sixth leader is refused (SD504), inserted or promoted; nothing written.
INSERT INTO staff (name, division, street_leader) VALUES ('第六位领导', '652901001', true);
UPDATE staff SET street_leader = true WHERE staff_id = 6;
SELECT count(*) AS staff, count(*) FILTER (WHERE street_leader) AS leaders FROM staff;

-- Before any move: the street has 10, nobody sent down (R2.1 not met).
SELECT * FROM staff_compliance('2016-02-01');

-- Seven of the ten are sent down on 2016-03-01 (R2.1, R2.3): 1–3 to 前进, 4–7 to 友谊.
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
SELECT i, '2016-03-01', 'sent_down', '652901001', CASE WHEN i <= 3 THEN '652901001001' ELSE '652901001002' END::divcode
  FROM generate_series(1, 7) i;
-- Where they serve: the street before, the community from the day of the move; the
-- leaders sent down are no longer in the street leadership (R2.3).
SELECT staff_id, staff_division(staff_id, '2016-02-29') AS before, staff_division(staff_id, '2016-03-01') AS after,
       division AS now, street_leader
  FROM staff WHERE staff_id IN (1, 5, 7, 8) ORDER BY staff_id;
SELECT * FROM staff_compliance('2016-03-01');
SELECT * FROM staff_violation ORDER BY division, measure;

-- Bad moves, each refused with nothing written:
-- to a division that does not exist (SD501) or is not a county, street or community;
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (8, '2016-04-01', 'transfer', '652901001', '652901001099');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (8, '2016-04-01', 'transfer', '652901001', '6529');
-- not from where the person serves, before the last move, a hire of someone serving,
-- a first hire elsewhere than where the person serves (SD502);
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (8, '2016-04-01', 'transfer', '652901002', '652901001001');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (1, '2016-02-01', 'transfer', '652901001001', '652901001002');
INSERT INTO staff_move (staff_id, moved_on, kind, to_division) VALUES (1, '2016-04-01', 'hire', '652901001');
INSERT INTO staff_move (staff_id, moved_on, kind, to_division) VALUES (8, '2016-04-01', 'hire', '652901001001');
-- "sent down" to a community of another street, or sideways (SD503).
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (8, '2016-04-01', 'sent_down', '652901001', '652901002001');
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (1, '2016-04-01', 'sent_down', '652901001001', '652901001002');
-- the ends of a move must fit its kind (check constraint staff_move_ends).
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (8, '2016-04-01', 'hire', '652901001', '652901001001');
SELECT count(*) AS moves FROM staff_move;

-- R2.4, hard by default: 友谊 has exactly 10 national cadres; moving one out is refused (SD505).
SELECT community_national_staff('652901001002', '2016-03-01') AS "友谊 national cadres";
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (4, '2017-01-01', 'transfer', '652901001002', '652901001001');
-- A contract hire may go (not a national cadre).
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (17, '2017-01-01', 'transfer', '652901001002', '652901001001');
-- The county makes the limit report-only for 友谊 (R14.1): the move passes and is reported.
INSERT INTO policy (key, division, valid_from, value) VALUES ('community.national_staff.hard', '652901001002', '2016-01-01', 0);
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
  VALUES (4, '2017-01-01', 'transfer', '652901001002', '652901001001');
SELECT division, rule_id, measure, value, bound, ok FROM staff_compliance('2017-01-01') WHERE rule_id = 'R2.4';
-- As of a date before the move, 友谊 still had its ten.
SELECT community_national_staff('652901001002', '2016-12-31') AS before, community_national_staff('652901001002', '2017-01-01') AS after;

-- R2.4 holds on every later day too, not only on the move's own date.
-- 团结 (a general community, minimum 10) has eleven national cadres from 2016.
INSERT INTO staff (name, division, category)
SELECT '团结干部' || i, '652901002001', 'administrative' FROM generate_series(1, 11) i;
INSERT INTO staff_move (staff_id, moved_on, kind, to_division)
SELECT staff_id, '2016-01-01', 'hire', '652901002001' FROM staff WHERE name LIKE '团结干部%' ORDER BY staff_id;
-- Y (团结干部11) leaves on 2025-06-01: ten remain.
INSERT INTO staff_move (staff_id, moved_on, kind, from_division)
SELECT staff_id, '2025-06-01', 'leave', '652901002001' FROM staff WHERE name = '团结干部11';
-- X (团结干部10) recorded afterwards as leaving on 2025-03-01 would leave ten
-- in March but nine from June on: refused (SD505), as is a move of 团结干部9
-- backdated to 2020.
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
SELECT staff_id, '2025-03-01', 'transfer', '652901002001', '652901002' FROM staff WHERE name = '团结干部10';
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
SELECT staff_id, '2020-01-01', 'transfer', '652901002001', '652901002' FROM staff WHERE name = '团结干部9';
-- With a replacement hired on 2025-02-01, X may leave on 2025-03-01: 团结 keeps ten.
INSERT INTO staff (name, division, category) VALUES ('团结干部12', '652901002001', 'administrative');
INSERT INTO staff_move (staff_id, moved_on, kind, to_division)
SELECT staff_id, '2025-02-01', 'hire', '652901002001' FROM staff WHERE name = '团结干部12';
INSERT INTO staff_move (staff_id, moved_on, kind, from_division, to_division)
SELECT staff_id, '2025-03-01', 'transfer', '652901002001', '652901002' FROM staff WHERE name = '团结干部10';
SELECT d AS on_date, community_national_staff('652901002001', d) AS "团结 national cadres"
  FROM unnest('{2025-01-31, 2025-02-01, 2025-03-01, 2025-06-01}'::date[]) d;

-- Direct writes to sdbc.staff do not go round the moves (R2.3, R2.4):
-- the division of someone with moves changes only by a move (SD514), nothing written;
UPDATE staff SET division = '652901001002' WHERE staff_id = 1;
-- someone with no moves yet may have the record corrected (18: 友谊 to 团结 and back;
-- a national cadre corrected out of a community is checked as below);
UPDATE staff SET division = '652901002001' WHERE staff_id = 18;
SELECT staff_id, division FROM staff WHERE staff_id = 18;
UPDATE staff SET division = '652901001002' WHERE staff_id = 18;
-- 团结 has ten national cadres today: with an eleventh (no moves), one of
-- them may stop being a national cadre; then neither a change of category
-- nor a deletion may take 团结 below ten (SD505; the messages name today's
-- date and are shown without it).
INSERT INTO staff (name, division, category) VALUES ('团结干部13', '652901002001', 'institutional');
UPDATE staff SET category = 'contract' WHERE name = '团结干部13';
DO $$
BEGIN
  UPDATE sdbc.staff SET category = 'public_welfare' WHERE name = '团结干部2';
EXCEPTION WHEN SQLSTATE 'SD505' THEN
  RAISE NOTICE 'SD505: %', replace(SQLERRM, CURRENT_DATE::text, 'today');
END $$;
DO $$
BEGIN
  DELETE FROM sdbc.staff WHERE name = '团结干部2';
EXCEPTION WHEN SQLSTATE 'SD505' THEN
  RAISE NOTICE 'SD505: %', replace(SQLERRM, CURRENT_DATE::text, 'today');
END $$;
DELETE FROM staff WHERE name = '团结干部13';
SELECT community_national_staff('652901002001') AS "团结 today", count(*) FILTER (WHERE name LIKE '团结干部%') AS "团结干部 rows",
       count(*) FILTER (WHERE name = '团结干部2' AND category = 'administrative') AS "团结干部2 unchanged"
  FROM staff;

-- A move is recorded when it has happened: one dated tomorrow is refused
-- (SD515) and 8 still serves the street, with no move.
DO $$
BEGIN
  INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division)
    VALUES (8, CURRENT_DATE + 1, 'sent_down', '652901001', '652901001001');
EXCEPTION WHEN SQLSTATE 'SD515' THEN
  RAISE NOTICE 'SD515: %', replace(SQLERRM, (CURRENT_DATE + 1)::text, 'tomorrow');
END $$;
SELECT staff_id, division, (SELECT count(*) FROM staff_move m WHERE m.staff_id = 8) AS moves FROM staff WHERE staff_id = 8;

-- A restore (a superuser writing a row with its id) skips the checks that
-- read other tables, not the self-contained ones: a restored move "sent
-- down" to another street's community is refused (SD503).
SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user;
INSERT INTO staff_move (move_id, staff_id, moved_on, kind, from_division, to_division) OVERRIDING SYSTEM VALUE
  VALUES (1000, 8, '2016-04-01', 'sent_down', '652901001', '652901002001');

-- A leave: the person serves nowhere from then on; a hire brings him back.
INSERT INTO staff_move (staff_id, moved_on, kind, from_division) VALUES (10, '2018-01-01', 'leave', '652901001');
INSERT INTO staff_move (staff_id, moved_on, kind, to_division) VALUES (10, '2019-01-01', 'hire', '652901001002');
SELECT staff_division(10, '2017-12-31') AS before_leave, staff_division(10, '2018-06-01') AS on_leave,
       staff_division(10, '2019-01-01') AS rehired, (SELECT division FROM staff WHERE staff_id = 10) AS now;

-- R2.2: the street keeps a single general office; a second office is reported.
INSERT INTO street_office (street, name, general) VALUES ('652901001', '综合办公室', true);
SELECT measure, value, bound, ok FROM staff_compliance('2019-01-01') WHERE measure LIKE 'internal%';
INSERT INTO street_office (street, name) VALUES ('652901001', '城管办');
SELECT measure, value, bound, ok FROM staff_compliance('2019-01-01') WHERE measure LIKE 'internal%';
INSERT INTO street_office (street, name) VALUES ('652901001001', '综合办公室');

-- The history is insert-only (SD207).
UPDATE staff_move SET moved_on = '2016-03-02' WHERE move_id = 1;
DELETE FROM staff_move WHERE move_id = 1;

-- The staffing figures (R2) for the communities of 兰干街道 on two dates.
SELECT * FROM staffing_report('652901001', '2016-02-01');
SELECT * FROM staffing_report('652901001', '2019-01-01');
SELECT persons FROM staffing_report('652901002', '2019-01-01') WHERE n = 1;

-- A correction of the record is checked like a move out: 8 (a national cadre
-- with no moves) put at 前进 by mistake cannot be taken back to the street,
-- since 前进 would have 4 of its 15 (SD505; shown without today's date).
UPDATE staff SET division = '652901001001' WHERE staff_id = 8;
DO $$
BEGIN
  UPDATE sdbc.staff SET division = '652901001' WHERE staff_id = 8;
EXCEPTION WHEN SQLSTATE 'SD505' THEN
  RAISE NOTICE 'SD505: %', replace(SQLERRM, CURRENT_DATE::text, 'today');
END $$;
SELECT staff_id, division FROM staff WHERE staff_id = 8;

-- The SQLSTATEs, as an application catches them.
CREATE FUNCTION pg_temp.sqlstate_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT what, pg_temp.sqlstate_of(stmt) AS sqlstate FROM (VALUES
  (1, 'move to a division not loaded', $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (8, '2020-01-01', 'transfer', '652901001', '652901001098')$$),
  (2, 'move from elsewhere',            $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (8, '2020-01-01', 'transfer', '652901002', '652901001001')$$),
  (3, 'sent down across streets',       $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (8, '2020-01-01', 'sent_down', '652901001', '652901002001')$$),
  (4, 'a sixth leader',                 $$INSERT INTO sdbc.staff (name, division, street_leader) VALUES ('x', '652901001', true), ('y', '652901001', true), ('z', '652901001', true), ('w', '652901001', true), ('v', '652901001', true), ('u', '652901001', true)$$),
  (5, 'below the community minimum',    $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (1, '2020-01-01', 'transfer', '652901001001', '652901001002')$$),
  (6, 'rewrite the history',            $$DELETE FROM sdbc.staff_move$$),
  (7, 'division changed directly',      $$UPDATE sdbc.staff SET division = '652901001002' WHERE staff_id = 1$$),
  (8, 'category change below minimum',  $$UPDATE sdbc.staff SET category = 'contract' WHERE name = '团结干部1'$$),
  (9, 'move dated in the future',       $$INSERT INTO sdbc.staff_move (staff_id, moved_on, kind, from_division, to_division) VALUES (8, CURRENT_DATE + 1, 'transfer', '652901001', '652901001001')$$)
) v(n, what, stmt) ORDER BY n;

-- Leave the database as the next test expects it.
ALTER TABLE staff_move DISABLE TRIGGER staff_move_insert_only;
DELETE FROM staff_move;
ALTER TABLE staff_move ENABLE TRIGGER staff_move_insert_only;
DELETE FROM street_office;
ALTER TABLE staff DISABLE TRIGGER staff_check; DELETE FROM staff; ALTER TABLE staff ENABLE TRIGGER staff_check;
DELETE FROM staff_limit_lock;
DELETE FROM policy WHERE NOT builtin;
DELETE FROM division;
