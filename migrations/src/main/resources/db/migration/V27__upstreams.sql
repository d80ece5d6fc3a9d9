-- Upstreams (issue 18): a named set of weighted targets an API's http and http_proxy integrations
-- send to with uri "upstream://{name}/path". Part of the API's definition, as authorizers are:
-- they reach the gateway only frozen into a deployment, so nodes never ask the control plane.
-- The rules on names, URLs, weights and health-check ranges are the contract's
-- (UpstreamConfig.problems); the checks here back up the ones a row cannot do without.
CREATE TABLE upstreams (
  id           uuid NOT NULL,
  tenant_id    uuid NOT NULL,
  api_id       uuid NOT NULL,
  name         text NOT NULL CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  balancing    text NOT NULL CHECK (balancing IN ('round_robin', 'least_requests')),
  -- [{"url": "https://a.example.com", "weight": 1}, ...]; empty when DNS discovery finds them
  targets      jsonb NOT NULL CHECK (jsonb_typeof(targets) = 'array'
                                     AND jsonb_array_length(targets) <= 32),
  -- {"path", "intervalMillis", "timeoutMillis", "healthyThreshold", "unhealthyThreshold"}
  health_check jsonb CHECK (health_check IS NULL OR jsonb_typeof(health_check) = 'object'),
  -- {"hostname", "port", "scheme", "weight", "refreshSeconds"}: targets from DNS
  discovery    jsonb CHECK (discovery IS NULL OR jsonb_typeof(discovery) = 'object'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, api_id, name),
  CHECK (jsonb_array_length(targets) >= 1 OR discovery IS NOT NULL)
);

ALTER TABLE upstreams ENABLE ROW LEVEL SECURITY;
ALTER TABLE upstreams FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON upstreams
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON upstreams TO turnpike_app, turnpike_system;
