-- Issue 8: the ERP outbox carries every document type the hub posts (production confirmations,
-- goods movements, maintenance notifications), through the same claim, read-back and park rules.
-- Portable SQL (H2 and PostgreSQL).

-- Which document a row is (ErpDocumentType name); existing rows are production confirmations.
ALTER TABLE confirmation_outbox ADD COLUMN document_type VARCHAR(40) DEFAULT 'production-confirmation' NOT NULL;
-- The entity as it is posted (OData V2 JSON), for types other than production confirmations, whose
-- fields have their own columns.
ALTER TABLE confirmation_outbox ADD COLUMN document VARCHAR(100000);
-- The ERP's keys of the posted document as JSON, e.g. {"MaterialDocumentYear":"2026","MaterialDocument":"4900000001"}.
ALTER TABLE confirmation_outbox ADD COLUMN erp_document VARCHAR(2000);
-- SAP's final-confirmation flag (FinalConfirmationType "X") of a production confirmation.
ALTER TABLE confirmation_outbox ADD COLUMN final_confirmation BOOLEAN DEFAULT FALSE NOT NULL;
-- Quantities, unit and posting date belong to confirmations; a maintenance notification has no order.
ALTER TABLE confirmation_outbox ALTER COLUMN yield_quantity DROP NOT NULL;
ALTER TABLE confirmation_outbox ALTER COLUMN scrap_quantity DROP NOT NULL;
ALTER TABLE confirmation_outbox ALTER COLUMN unit DROP NOT NULL;
ALTER TABLE confirmation_outbox ALTER COLUMN posting_date DROP NOT NULL;
ALTER TABLE confirmation_outbox ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE confirmation_outbox ALTER COLUMN operation DROP NOT NULL;
CREATE INDEX ix_outbox_document_type ON confirmation_outbox (document_type, status);
