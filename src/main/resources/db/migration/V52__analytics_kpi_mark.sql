-- Shift-end KPI events (#10): how far the KPI publisher has published, so that the shifts that
-- ended while the hub was down get their kpi event at the next start (within
-- millwright.analytics.kpi.catch-up). Moved on only after the events were published: a failed
-- publish is tried again at the next check. Portable SQL: H2 and PostgreSQL.
CREATE TABLE analytics_kpi_mark (
    publisher       VARCHAR(64) NOT NULL PRIMARY KEY,
    published_up_to TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
