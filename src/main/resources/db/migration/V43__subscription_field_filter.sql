-- MES subscriptions (issue 9): the optional field conditions on the event's data
-- ({"data.state": "RUNNING"}), as JSON; NULL = every event of the subscribed types and assets.
ALTER TABLE subscription ADD COLUMN field_filter VARCHAR(4000);
