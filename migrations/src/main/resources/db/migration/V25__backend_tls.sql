-- TLS to backends (issue 17), as API Gateway's integration tlsConfig and stage client
-- certificates.

-- An http or http_proxy integration's TLS settings beyond the defaults:
-- {trustedCaPem, insecureSkipVerification, serverNameToVerify}; null for the public CAs and the
-- URI's host verified. The control plane checks the values; this only keeps the shape.
ALTER TABLE integrations
  ADD COLUMN tls_config jsonb
    CHECK (tls_config IS NULL OR jsonb_typeof(tls_config) = 'object'),
  ADD CONSTRAINT integrations_tls_type_check
    CHECK (tls_config IS NULL OR type IN ('http', 'http_proxy'));

-- The client certificate a stage's http integrations present to their backends. The private key
-- is sealed (AES-256-GCM under the operator's TURNPIKE_SECRET_KEY, bound to the tenant and the
-- stage); it is never stored, published or returned in clear.
CREATE TABLE stage_client_certificates (
  tenant_id          uuid NOT NULL,
  stage_id           uuid NOT NULL,
  certificate_pem    text NOT NULL CHECK (length(certificate_pem) <= 65536),
  private_key_sealed text NOT NULL CHECK (private_key_sealed LIKE 'v1:%'),
  subject            text NOT NULL,
  issuer             text NOT NULL,
  not_after          timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stage_id),
  FOREIGN KEY (tenant_id, stage_id) REFERENCES stages (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE stage_client_certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE stage_client_certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stage_client_certificates
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON stage_client_certificates TO turnpike_app, turnpike_system;
