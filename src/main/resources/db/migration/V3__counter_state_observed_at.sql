-- When the reading behind each counter's last booked value was taken at the source, so that a
-- reading older than that (a resubmitted dead letter a later reading already counted) is
-- recognised as stale instead of being taken for a counter reset and counted twice.
ALTER TABLE counter_state ADD COLUMN last_observed_at TIMESTAMP WITH TIME ZONE;
