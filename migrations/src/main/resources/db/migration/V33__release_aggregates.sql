-- Calls per API stage and hour, split by the side of a canary release that served them (the usage
-- event's canary flag), so the console can set a canary's error rate and latency beside its
-- base's while it runs. Metering writes it in the same transaction as usage_aggregates, from the
-- same deduplicated events, so it is exact as they are. Hours, not minutes: one row per stage,
-- hour and side keeps the table small at 10,000 stages; a canary's first hour also holds that
-- hour's base calls from before it started.
CREATE TABLE release_aggregates (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  api_id             text NOT NULL,
  stage              text NOT NULL,
  bucket_start       timestamptz NOT NULL,
  canary             boolean NOT NULL,
  calls              bigint NOT NULL DEFAULT 0 CHECK (calls >= 0),
  errors_4xx         bigint NOT NULL DEFAULT 0 CHECK (errors_4xx >= 0),
  errors_5xx         bigint NOT NULL DEFAULT 0 CHECK (errors_5xx >= 0),
  latency_sum_micros bigint NOT NULL DEFAULT 0 CHECK (latency_sum_micros >= 0),
  latency_max_micros bigint NOT NULL DEFAULT 0 CHECK (latency_max_micros >= 0),
  PRIMARY KEY (tenant_id, api_id, stage, bucket_start, canary)
);

ALTER TABLE release_aggregates ENABLE ROW LEVEL SECURITY;
ALTER TABLE release_aggregates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON release_aggregates
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
-- The control plane reads it; only metering writes it.
GRANT SELECT ON release_aggregates TO turnpike_app, turnpike_system;
GRANT SELECT, INSERT, UPDATE ON release_aggregates TO turnpike_metering;
