-- Issue 8, lineage of derived documents: a goods issue is built from one production confirmation
-- (the parts it confirmed); source_key names that confirmation, so tracking shows the goods issue
-- with the ledger increments the confirmation was built from. Portable SQL (H2 and PostgreSQL).
ALTER TABLE confirmation_outbox ADD COLUMN source_key VARCHAR(40);
