-- Alert state (#10): one row per alert the rules raised, open until its clear condition holds.
-- Open alerts (status RAISED) are read back at start-up, so a restart neither forgets them nor
-- raises them twice, and their clear still finds them. Operators acknowledge an alert and silence
-- its rule and key (no channel delivery until silenced_until; the alert events are still published).
-- Portable SQL: H2 and PostgreSQL.
CREATE TABLE alert_state (
    alert_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
    rule_name       VARCHAR(255)  NOT NULL,
    alert_key       VARCHAR(1000) NOT NULL,
    severity        VARCHAR(16)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    summary         VARCHAR(2000) NOT NULL,
    raised_since    TIMESTAMP WITH TIME ZONE NOT NULL,
    raised_event_id VARCHAR(255),
    cleared_at      TIMESTAMP WITH TIME ZONE,
    acknowledged_by VARCHAR(255),
    acknowledged_at TIMESTAMP WITH TIME ZONE,
    silenced_by     VARCHAR(255),
    silenced_until  TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX alert_state_status ON alert_state (status, raised_since);
CREATE INDEX alert_state_rule_key ON alert_state (rule_name, alert_key);
