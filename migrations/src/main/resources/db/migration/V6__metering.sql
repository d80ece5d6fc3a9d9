-- Metering: rejected-call classes the quota must tell apart, indexes for the quota and usage reads,
-- and a cheaper purge of the dedup window.

-- Calls the gateway turned away at its throttle or quota gate are metered but do not count
-- towards the quota (the gateway's local counter never admitted them either).
ALTER TABLE usage_aggregates
  ADD COLUMN throttled      bigint NOT NULL DEFAULT 0 CHECK (throttled >= 0),
  ADD COLUMN quota_exceeded bigint NOT NULL DEFAULT 0 CHECK (quota_exceeded >= 0);

-- Every batch updates the counters of rows it touched before; with room left on each page the
-- update stays on the page and leaves the indexes alone (a HOT update), as no indexed column changes.
ALTER TABLE usage_aggregates SET (fillfactor = 70);

-- Quota evaluation sums one key's day or month buckets under one plan; GetUsage reads per key and
-- day. This index serves both (and every query the old key index served).
DROP INDEX usage_aggregates_key_idx;
CREATE INDEX usage_aggregates_key_plan_idx
  ON usage_aggregates (key_id, plan_id, granularity, bucket_start);
-- Per-app usage for the developer portal and rating.
CREATE INDEX usage_aggregates_app_idx
  ON usage_aggregates (tenant_id, app_id, granularity, bucket_start);

-- processed_at grows with insertion order, so a BRIN index finds the purgeable range for a tiny
-- fraction of a b-tree's cost on every insert.
DROP INDEX processed_events_age_idx;
CREATE INDEX processed_events_age_brin ON processed_events USING brin (processed_at);
