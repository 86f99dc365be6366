-- Issue 7, the central hub books the production counts its edges forward: each forwarded
-- production-count event is one ledger row whose count_event_id is the event's CloudEvents id, and
-- this unique index books it once, whatever resends it (an edge after a link failure, a replay, a
-- resubmitted dead letter). Increments a hub counts itself have a new id each, so they never
-- collide; rows without an id (booked before V38) stay, as NULLs are distinct in a unique index on
-- H2 and PostgreSQL alike. Portable SQL (H2 and PostgreSQL).
CREATE UNIQUE INDEX ux_ledger_count_event_id ON production_count_ledger (count_event_id);
