-- Lambda-compatible functions (issue 14): a tenant registers the endpoints of its functions by
-- Lambda function name, and aws_proxy integrations name them.

-- A function a tenant's aws_proxy integrations may invoke: a Lambda Invoke API endpoint (the
-- Runtime Interface Emulator every AWS Lambda base image serves). The name is Lambda's function
-- name, optionally qualified by an alias or version ("orders:live"), which then serves only
-- integrations that name that qualifier.
CREATE TABLE functions (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name       text NOT NULL CHECK (name ~ '^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_-]{1,128})?$'),
  invoke_url text NOT NULL CHECK (invoke_url ~ '^https?://' AND length(invoke_url) <= 2048),
  timeout_ms integer NOT NULL DEFAULT 29000 CHECK (timeout_ms BETWEEN 50 AND 29000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

ALTER TABLE functions ENABLE ROW LEVEL SECURITY;
ALTER TABLE functions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON functions
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON functions TO turnpike_app, turnpike_system;

-- aws_proxy integrations: the function they name (a reference that may hold an alias and stage
-- variables, resolved at deployment) and the event shape they send. Their uri is the
-- Lambda invocation ARN an imported document carried, kept for export, or null when the
-- integration was made by naming the function.
ALTER TABLE integrations
  ADD COLUMN function_name text CHECK (length(function_name) BETWEEN 1 AND 256),
  ADD COLUMN payload_format_version text CHECK (payload_format_version IN ('1.0', '2.0'));
ALTER TABLE integrations DROP CONSTRAINT integrations_type_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_type_check
  CHECK (type IN ('http', 'http_proxy', 'mock', 'aws_proxy'));
ALTER TABLE integrations DROP CONSTRAINT integrations_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_uri_check
  CHECK (type IN ('mock', 'aws_proxy') OR uri IS NOT NULL);
ALTER TABLE integrations ADD CONSTRAINT integrations_function_check
  CHECK ((type = 'aws_proxy') = (function_name IS NOT NULL)
     AND (type = 'aws_proxy') = (payload_format_version IS NOT NULL));
