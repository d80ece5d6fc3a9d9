-- Alarms (observability issue): an owner's rule on one API stage's metered traffic, evaluated by
-- the control plane from metering's minute aggregates, with a webhook called on each change of
-- state. The state lives on the alarm row so an evaluation round reads and writes one row per
-- alarm; alarm_history keeps every transition with the value that caused it and what became of
-- its webhook call.
CREATE TABLE alarms (
  id               uuid NOT NULL,
  tenant_id        uuid NOT NULL,
  api_id           uuid NOT NULL,
  name             text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 128),
  stage            text NOT NULL,
  metric           text NOT NULL CHECK (metric IN ('requests', 'errors_4xx', 'errors_5xx',
                                                   'error_rate_5xx', 'latency_mean_ms',
                                                   'latency_max_ms')),
  comparison       text NOT NULL CHECK (comparison IN ('gt', 'ge', 'lt', 'le')),
  threshold        double precision NOT NULL,
  window_minutes   integer NOT NULL CHECK (window_minutes BETWEEN 1 AND 1440),
  webhook_url      text NOT NULL CHECK (char_length(webhook_url) <= 2048),
  enabled          boolean NOT NULL DEFAULT true,
  state            text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'firing')),
  state_value      double precision,
  state_changed_at timestamptz,
  evaluated_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, api_id, name)
);
-- The evaluator takes the enabled alarms evaluated longest ago first.
CREATE INDEX alarms_due_idx ON alarms (evaluated_at NULLS FIRST) WHERE enabled;

CREATE TABLE alarm_history (
  id            uuid NOT NULL,
  tenant_id     uuid NOT NULL,
  alarm_id      uuid NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL,
  from_state    text NOT NULL CHECK (from_state IN ('ok', 'firing')),
  to_state      text NOT NULL CHECK (to_state IN ('ok', 'firing')),
  value         double precision NOT NULL,
  -- 'pending' until the call ends, then 'delivered 200' or 'failed: <why>'
  webhook       text NOT NULL DEFAULT 'pending' CHECK (char_length(webhook) <= 300),
  PRIMARY KEY (id)
);
CREATE INDEX alarm_history_alarm_idx ON alarm_history (alarm_id, at DESC);

ALTER TABLE alarms ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alarms
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
ALTER TABLE alarm_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE alarm_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alarm_history
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON alarms, alarm_history TO turnpike_app, turnpike_system;
