-- Issue 8, operator actions: a parked confirmation resubmitted with an edited payload becomes a new
-- outbox row (its own key, tracked on its own) that names the one it replaces; the original is kept,
-- status REPLACED, and names its replacement. Portable SQL (H2 and PostgreSQL).
ALTER TABLE confirmation_outbox ADD COLUMN replaces VARCHAR(40);
ALTER TABLE confirmation_outbox ADD COLUMN replaced_by VARCHAR(40);
