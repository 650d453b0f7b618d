-- The published holiday arrangements (R8.1, R14.1), shipped as built-in rows
-- of sdbc.calendar_day, and the guard that keeps them read-only.
--
-- National: the State Council General Office's notice for each year
-- (国务院办公厅关于部分节假日安排的通知: 2024 国办发明电〔2023〕7号,
-- 2025 国办发明电〔2024〕12号, 2026 published 2025-11-04): every day off
-- (放假) of each holiday period and every make-up working weekend day (调休上班).
-- Xinjiang (division 65): the autonomous region's own public holidays for
-- 肉孜节 (Eid al-Fitr) and 古尔邦节 (Eid al-Adha), which its government sets
-- each year; shipped where the published notice was checked (2024 肉孜节,
-- 2025 both).  A region, prefecture or county adds its own rows (division
-- set); a later release's update script adds each new year's arrangement.

INSERT INTO sdbc.calendar_day (day, working, name, division, builtin)
SELECT d::date, w, n, v::sdbc.divcode, true
  FROM (VALUES
    -- 2024
    ('2024-01-01', '2024-01-01', false, '元旦 New Year''s Day', NULL),
    ('2024-02-04', '2024-02-04', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2024-02-10', '2024-02-17', false, '春节 Spring Festival', NULL),
    ('2024-02-18', '2024-02-18', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2024-04-04', '2024-04-06', false, '清明节 Qingming Festival', NULL),
    ('2024-04-07', '2024-04-07', true,  '清明节调休上班 make-up working day (Qingming)', NULL),
    ('2024-04-28', '2024-04-28', true,  '劳动节调休上班 make-up working day (Labour Day)', NULL),
    ('2024-05-01', '2024-05-05', false, '劳动节 Labour Day', NULL),
    ('2024-05-11', '2024-05-11', true,  '劳动节调休上班 make-up working day (Labour Day)', NULL),
    ('2024-06-10', '2024-06-10', false, '端午节 Dragon Boat Festival', NULL),
    ('2024-09-14', '2024-09-14', true,  '中秋节调休上班 make-up working day (Mid-Autumn)', NULL),
    ('2024-09-15', '2024-09-17', false, '中秋节 Mid-Autumn Festival', NULL),
    ('2024-09-29', '2024-09-29', true,  '国庆节调休上班 make-up working day (National Day)', NULL),
    ('2024-10-01', '2024-10-07', false, '国庆节 National Day', NULL),
    ('2024-10-12', '2024-10-12', true,  '国庆节调休上班 make-up working day (National Day)', NULL),
    -- 2025
    ('2025-01-01', '2025-01-01', false, '元旦 New Year''s Day', NULL),
    ('2025-01-26', '2025-01-26', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2025-01-28', '2025-02-04', false, '春节 Spring Festival', NULL),
    ('2025-02-08', '2025-02-08', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2025-04-04', '2025-04-06', false, '清明节 Qingming Festival', NULL),
    ('2025-04-27', '2025-04-27', true,  '劳动节调休上班 make-up working day (Labour Day)', NULL),
    ('2025-05-01', '2025-05-05', false, '劳动节 Labour Day', NULL),
    ('2025-05-31', '2025-06-02', false, '端午节 Dragon Boat Festival', NULL),
    ('2025-09-28', '2025-09-28', true,  '国庆节中秋节调休上班 make-up working day (National Day, Mid-Autumn)', NULL),
    ('2025-10-01', '2025-10-08', false, '国庆节、中秋节 National Day, Mid-Autumn Festival', NULL),
    ('2025-10-11', '2025-10-11', true,  '国庆节中秋节调休上班 make-up working day (National Day, Mid-Autumn)', NULL),
    -- 2026
    ('2026-01-01', '2026-01-03', false, '元旦 New Year''s Day', NULL),
    ('2026-01-04', '2026-01-04', true,  '元旦调休上班 make-up working day (New Year)', NULL),
    ('2026-02-14', '2026-02-14', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2026-02-15', '2026-02-23', false, '春节 Spring Festival', NULL),
    ('2026-02-28', '2026-02-28', true,  '春节调休上班 make-up working day (Spring Festival)', NULL),
    ('2026-04-04', '2026-04-06', false, '清明节 Qingming Festival', NULL),
    ('2026-05-01', '2026-05-05', false, '劳动节 Labour Day', NULL),
    ('2026-05-09', '2026-05-09', true,  '劳动节调休上班 make-up working day (Labour Day)', NULL),
    ('2026-06-19', '2026-06-21', false, '端午节 Dragon Boat Festival', NULL),
    ('2026-09-20', '2026-09-20', true,  '国庆节调休上班 make-up working day (National Day)', NULL),
    ('2026-09-25', '2026-09-27', false, '中秋节 Mid-Autumn Festival', NULL),
    ('2026-10-01', '2026-10-07', false, '国庆节 National Day', NULL),
    ('2026-10-10', '2026-10-10', true,  '国庆节调休上班 make-up working day (National Day)', NULL),
    -- Xinjiang Uygur Autonomous Region 新疆维吾尔自治区 (65)
    ('2024-04-10', '2024-04-10', false, '肉孜节 Eid al-Fitr (Xinjiang)', '65'),
    ('2025-03-29', '2025-03-31', false, '肉孜节 Eid al-Fitr (Xinjiang)', '65'),
    ('2025-06-06', '2025-06-10', false, '古尔邦节 Eid al-Adha (Xinjiang)', '65')
  ) AS t (first_day, last_day, w, n, v),
  LATERAL pg_catalog.generate_series(first_day::date, last_day::date, interval '1 day') AS d
-- (an update keeps a row a user had entered for the same day: docs/upgrades.md)
ON CONFLICT DO NOTHING;

-- Built-in rows are the published arrangement: nobody but the extension's
-- own scripts changes them (an update script that adds a year disables this
-- trigger around its INSERT).  A division that keeps other days adds its
-- own rows, which override the nation's on their days.
CREATE FUNCTION sdbc.calendar_day_guard() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog, sdbc, pg_temp
AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    IF EXISTS (SELECT 1 FROM sdbc.calendar_day WHERE builtin) THEN
      RAISE EXCEPTION USING ERRCODE = 'SD110',
        MESSAGE = 'sdbc.calendar_day holds built-in rows and cannot be truncated',
        DETAIL = 'Rules R8.1, R14.1: the built-in rows are the published holiday arrangements; the extension''s update scripts keep them.',
        HINT = 'Delete the rows you added: DELETE FROM sdbc.calendar_day WHERE NOT builtin.';
    END IF;
    RETURN NULL;
  END IF;
  IF (TG_OP <> 'INSERT' AND OLD.builtin) OR (TG_OP <> 'DELETE' AND NEW.builtin) THEN
    RAISE EXCEPTION USING ERRCODE = 'SD110',
      MESSAGE = pg_catalog.format('the built-in calendar day %s (%s) cannot be inserted, changed or deleted',
                                  coalesce(OLD.day, NEW.day), coalesce(OLD.name, NEW.name)),
      DETAIL = 'Rules R8.1, R14.1: built-in rows are the published holiday arrangements, shipped and updated by the extension.',
      HINT = 'To keep another day in a region, prefecture or county, insert a row of your own with that division (builtin false): it overrides the nation''s on that day.';
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION sdbc.calendar_day_guard() IS
  'Trigger on sdbc.calendar_day: built-in rows (the published arrangements) are read-only and cannot be added by users (SD110)';
CREATE TRIGGER calendar_day_guard BEFORE INSERT OR UPDATE OR DELETE ON sdbc.calendar_day
  FOR EACH ROW EXECUTE FUNCTION sdbc.calendar_day_guard();
CREATE TRIGGER calendar_day_guard_truncate BEFORE TRUNCATE ON sdbc.calendar_day
  FOR EACH STATEMENT EXECUTE FUNCTION sdbc.calendar_day_guard();
