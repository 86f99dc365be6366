-- Outcomes (#12): every data gap the hub published, kept so GET /api/outcomes can count gaps and
-- gap time per hour (predictability) across restarts. Keyed by the event id: a gap seen twice is
-- kept once. Portable SQL: H2 and PostgreSQL.
CREATE TABLE outcome_data_gap (
    event_id     VARCHAR(255)  NOT NULL PRIMARY KEY,
    connection   VARCHAR(255)  NOT NULL,
    gap_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    gap_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(2000) NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX outcome_data_gap_start ON outcome_data_gap (gap_start);
