-- Alarms, second part (issue 20): a signing secret per alarm for its webhook calls, a third state
-- for a round that could not read the metric (Prometheus down or refusing the query), and an index
-- the history's pruning walks by age.

-- The secret the webhook calls are signed with (HMAC-SHA256). It must be usable to sign, so it
-- cannot be hashed: it is sealed (AES-GCM, 'v1:...') under TURNPIKE_SECRET_KEY when the operator
-- set one, and kept as issued ('whsec_...') otherwise. Null for alarms made before this version:
-- their calls go unsigned until the owner rotates the secret.
ALTER TABLE alarms ADD COLUMN signing_secret text CHECK (char_length(signing_secret) <= 512);

ALTER TABLE alarms DROP CONSTRAINT alarms_state_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_state_check
  CHECK (state IN ('ok', 'firing', 'insufficient_data'));

ALTER TABLE alarm_history DROP CONSTRAINT alarm_history_from_state_check;
ALTER TABLE alarm_history ADD CONSTRAINT alarm_history_from_state_check
  CHECK (from_state IN ('ok', 'firing', 'insufficient_data'));
ALTER TABLE alarm_history DROP CONSTRAINT alarm_history_to_state_check;
ALTER TABLE alarm_history ADD CONSTRAINT alarm_history_to_state_check
  CHECK (to_state IN ('ok', 'firing', 'insufficient_data'));
-- No value when the metric could not be read; the reason says why.
ALTER TABLE alarm_history ALTER COLUMN value DROP NOT NULL;
ALTER TABLE alarm_history ADD COLUMN reason text CHECK (char_length(reason) <= 300);

-- Pruning deletes the oldest rows in bounded batches each round.
CREATE INDEX alarm_history_at_idx ON alarm_history (at);
