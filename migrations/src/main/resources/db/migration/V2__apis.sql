CREATE TABLE apis (
  id                 uuid PRIMARY KEY,
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  slug               text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description        text,
  api_key_source     text NOT NULL DEFAULT 'HEADER' CHECK (api_key_source IN ('HEADER', 'AUTHORIZER')),
  binary_media_types text[] NOT NULL DEFAULT '{}',
  -- Owner overrides per gateway response type, e.g. {"THROTTLED": {"statusCode": 429, ...}}.
  gateway_responses  jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The OpenAPI document last imported, kept for docs and export.
  openapi_document   jsonb,
  published          boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, slug),
  UNIQUE (tenant_id, id)
);

CREATE TABLE integrations (
  id                 uuid PRIMARY KEY,
  tenant_id          uuid NOT NULL,
  api_id             uuid NOT NULL,
  type               text NOT NULL CHECK (type IN ('http', 'http_proxy', 'mock')),
  http_method        text CHECK (http_method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY')),
  uri                text,
  connect_timeout_ms integer NOT NULL DEFAULT 10000 CHECK (connect_timeout_ms BETWEEN 50 AND 29000),
  timeout_ms         integer NOT NULL DEFAULT 29000 CHECK (timeout_ms BETWEEN 50 AND 29000),
  request_parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
  mock_status        integer CHECK (mock_status BETWEEN 100 AND 599),
  mock_headers       jsonb NOT NULL DEFAULT '{}'::jsonb,
  mock_body          text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, id),
  CHECK (type = 'mock' OR uri IS NOT NULL),
  CHECK (type <> 'mock' OR mock_status IS NOT NULL)
);

CREATE TABLE routes (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL,
  api_id           uuid NOT NULL,
  method           text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY')),
  resource_path    text NOT NULL CHECK (resource_path ~ '^/'),
  api_key_required boolean NOT NULL DEFAULT false,
  integration_id   uuid NOT NULL,
  -- Request validation: {"requiredParameters": ["method.request.querystring.q"], "validateBody": true}.
  request_validator jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, integration_id) REFERENCES integrations (tenant_id, id),
  UNIQUE (api_id, method, resource_path)
);

CREATE TABLE deployments (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL,
  api_id        uuid NOT NULL,
  description   text,
  -- The frozen API definition (routes, integrations, gateway responses). Never updated.
  snapshot      jsonb NOT NULL,
  snapshot_hash text NOT NULL CHECK (snapshot_hash ~ '^[0-9a-f]{64}$'),
  created_by    uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, id)
);

CREATE TABLE stages (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  api_id            uuid NOT NULL,
  name              text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-]{1,64}$'),
  description       text,
  variables         jsonb NOT NULL DEFAULT '{}'::jsonb,
  throttle_rate     double precision CHECK (throttle_rate >= 0),
  throttle_burst    integer CHECK (throttle_burst >= 0),
  -- Stage-level per-method limits keyed "/path/METHOD": {"rateLimit": .., "burstLimit": ..}.
  method_throttles  jsonb NOT NULL DEFAULT '{}'::jsonb,
  access_log_format text,
  deployment_id     uuid,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, deployment_id) REFERENCES deployments (tenant_id, id),
  UNIQUE (api_id, name),
  UNIQUE (tenant_id, id),
  CHECK ((throttle_rate IS NULL) = (throttle_burst IS NULL))
);
