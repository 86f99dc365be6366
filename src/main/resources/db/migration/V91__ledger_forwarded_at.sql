-- Issue 7, the edge's ledger no longer grows for ever: on an edge whose counts the central hub confirms
-- (millwright.erp.confirmed-by=central) forwarded_at is when the central hub's broker acknowledged the
-- production-count event of the row (the edge link's core bridge got the confirmation and took the event
-- out of the edge's buffer). Rows forwarded longer ago than millwright.production.forwarded-ledger-retention
-- are deleted; a row without it (not forwarded yet, forwarded before this version, or on any other hub) is
-- never deleted. Portable SQL (H2 and PostgreSQL).
ALTER TABLE production_count_ledger ADD COLUMN forwarded_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_ledger_forwarded_at ON production_count_ledger (forwarded_at);
