-- Reading the reference data and policy is open to everyone; changing them
-- is for the owner (roles per jurisdiction come with the security work).
GRANT USAGE ON SCHEMA sdbc TO PUBLIC;
GRANT SELECT ON sdbc.division, sdbc.division_kind, sdbc.urban_rural_class,
                sdbc.division_labeled, sdbc.division_orphan,
                sdbc.policy, sdbc.policy_key, sdbc.policy_described TO PUBLIC;
