-- sdbc 0.1.0 → 0.2.0, part 3: after the files new in 0.2.0 (they define
-- sdbc.engine_trigger, sql/79_engine_write.sql).

-- sql/61_grid_rules.sql: every household update is placed; a trigger depth
-- says nothing of who writes.
CREATE OR REPLACE TRIGGER household_place_on_update BEFORE UPDATE OF building_id, community ON sdbc.household
  FOR EACH ROW EXECUTE FUNCTION sdbc.household_place();

-- sql/89_service_hall.sql: the case of an application is the engine's write.
CREATE OR REPLACE TRIGGER service_application_check BEFORE INSERT ON sdbc.service_application
  FOR EACH ROW EXECUTE FUNCTION sdbc.engine_trigger('sdbc.service_application_check()');
