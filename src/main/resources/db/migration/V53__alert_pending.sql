-- Pending alert timers (#10): a rule whose condition holds for a key but not yet for its 'for'
-- duration. Kept so that a restart does not start the timer again (a rule with for: 5m would
-- otherwise need five more minutes of the condition after every restart). Only rules with a 'for'
-- above zero have rows; a row goes when the alert is raised or the condition stops holding.
-- Portable SQL: H2 and PostgreSQL.
CREATE TABLE alert_pending (
    rule_name VARCHAR(255)  NOT NULL,
    alert_key VARCHAR(1000) NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rule_name, alert_key)
);
