-- Authorizers (issue 15): who a caller is beyond an API key. An API's authorizers are part of its
-- definition, as in API Gateway: they reach the gateway only through a deployment.

-- One authorizer of one API. A JWT authorizer names an issuer and audiences; a TOKEN or REQUEST
-- (Lambda-style) authorizer names either a registered function (a reference that may hold an alias
-- and stage variables, resolved at deployment as aws_proxy integrations' are) or a plain http(s)
-- endpoint taking the same JSON event.
CREATE TABLE authorizers (
  id                             uuid NOT NULL,
  tenant_id                      uuid NOT NULL,
  api_id                         uuid NOT NULL,
  name                           text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-]{1,128}$'),
  type                           text NOT NULL CHECK (type IN ('jwt', 'token', 'request')),
  identity_sources               text[] NOT NULL DEFAULT '{}',
  jwt_issuer                     text CHECK (length(jwt_issuer) <= 2048),
  jwt_audience                   text[] NOT NULL DEFAULT '{}',
  function_name                  text CHECK (length(function_name) BETWEEN 1 AND 256),
  endpoint_url                   text CHECK (endpoint_url ~ '^https?://' AND length(endpoint_url) <= 2048),
  timeout_ms                     integer NOT NULL CHECK (timeout_ms BETWEEN 50 AND 29000),
  result_ttl_seconds             integer NOT NULL CHECK (result_ttl_seconds BETWEEN 0 AND 3600),
  identity_validation_expression text CHECK (length(identity_validation_expression) <= 1024),
  payload_format_version         text NOT NULL CHECK (payload_format_version IN ('1.0', '2.0')),
  simple_responses               boolean NOT NULL DEFAULT false,
  created_at                     timestamptz NOT NULL DEFAULT now(),
  updated_at                     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, api_id, name),
  -- Routes name an authorizer together with their own API, so one can never name another API's
  -- (or another tenant's) authorizer, whatever the application does.
  UNIQUE (tenant_id, api_id, id),
  CHECK ((type = 'jwt') = (jwt_issuer IS NOT NULL)),
  CHECK (type = 'jwt' OR ((function_name IS NULL) <> (endpoint_url IS NULL)))
);

ALTER TABLE authorizers ENABLE ROW LEVEL SECURITY;
ALTER TABLE authorizers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON authorizers
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON authorizers TO turnpike_app, turnpike_system;

-- A method's authorization, as API Gateway's authorizationType + authorizerId +
-- authorizationScopes. No cascade: an authorizer that methods use cannot be deleted (the
-- management API refuses it with 409 naming them; the key backs that up).
ALTER TABLE routes
  ADD COLUMN authorization_type text NOT NULL DEFAULT 'NONE'
    CHECK (authorization_type IN ('NONE', 'JWT', 'CUSTOM')),
  ADD COLUMN authorizer_id uuid,
  ADD COLUMN authorization_scopes text[] NOT NULL DEFAULT '{}',
  ADD CONSTRAINT routes_authorizer_fk FOREIGN KEY (tenant_id, api_id, authorizer_id)
    REFERENCES authorizers (tenant_id, api_id, id),
  ADD CONSTRAINT routes_authorization_check
    CHECK ((authorization_type = 'NONE') = (authorizer_id IS NULL));

CREATE INDEX routes_authorizer_idx ON routes (tenant_id, authorizer_id)
  WHERE authorizer_id IS NOT NULL;
