-- Issue 8, lineage back to the source: each ledger increment keeps the reading it was counted from,
-- so tracking shows, for a document sent to the ERP, the CloudEvents ids and the OPC UA node and
-- value behind it. Null for increments booked before this version. Portable SQL (H2 and PostgreSQL).
-- source_event_id: id of the signal event of the reading (every event derived from it carries it as correlationid)
ALTER TABLE production_count_ledger ADD COLUMN source_event_id VARCHAR(64);
-- count_event_id: id of the production-count event the hub published for this increment
ALTER TABLE production_count_ledger ADD COLUMN count_event_id VARCHAR(64);
-- source: CloudEvents source of the reading (adapter and address, e.g. opcua://plant-sim)
ALTER TABLE production_count_ledger ADD COLUMN source VARCHAR(255);
-- source_node: the tag as the source names it (an OPC UA node id, a Sparkplug metric)
ALTER TABLE production_count_ledger ADD COLUMN source_node VARCHAR(512);
-- source_value: the counter's value as read (the cumulative total the increment was computed from)
ALTER TABLE production_count_ledger ADD COLUMN source_value VARCHAR(64);
