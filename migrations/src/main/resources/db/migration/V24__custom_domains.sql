-- Custom domains and base-path mappings (issue 17): a tenant registers a domain name, proves it
-- controls it, uploads a certificate, and maps base paths of the domain to its API stages.

-- One domain name of one tenant. The name is the primary key on its own, so a name belongs to one
-- tenant across ALL tenants: uniqueness is checked by the index, which row-level security does not
-- hide, while the other tenant's row stays invisible. The private key is stored sealed
-- (AES-256-GCM under the operator's secret key, bound to the name), never in clear.
CREATE TABLE domains (
  name                    text NOT NULL CHECK (
                            name = lower(name) AND length(name) BETWEEN 1 AND 253
                            AND name ~ '^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'),
  tenant_id               uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  verification_token      text NOT NULL CHECK (verification_token ~ '^[A-Za-z0-9_-]{16,128}$'),
  verified_at             timestamptz,
  certificate_chain_pem   text CHECK (length(certificate_chain_pem) <= 131072),
  sealed_private_key      text CHECK (sealed_private_key LIKE 'v1:%'),
  certificate_not_after   timestamptz,
  security_policy         text NOT NULL DEFAULT 'TLS_1_2'
                            CHECK (security_policy IN ('TLS_1_2', 'TLS_1_3')),
  truststore_pem          text CHECK (length(truststore_pem) <= 262144),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name),
  -- Mappings name their domain together with their tenant.
  UNIQUE (tenant_id, name),
  CHECK ((certificate_chain_pem IS NULL) = (sealed_private_key IS NULL)),
  CHECK ((certificate_chain_pem IS NULL) = (certificate_not_after IS NULL))
);

CREATE INDEX domains_tenant_idx ON domains (tenant_id, name);

ALTER TABLE domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE domains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON domains
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON domains TO turnpike_app, turnpike_system;

-- A base path of a domain and the API stage it serves, as API Gateway's BasePathMapping. The API
-- is named together with the domain's tenant, so a mapping can never point at another tenant's
-- API, whatever the application does; deleting the API deletes its mappings. The stage is named,
-- not referenced: a deleted stage leaves the mapping serving nothing until a stage of that name
-- serves a deployment again, as a deleted stage leaves its invoke URL.
CREATE TABLE domain_mappings (
  tenant_id   uuid NOT NULL,
  domain_name text NOT NULL,
  base_path   text NOT NULL CHECK (base_path ~ '^[A-Za-z0-9._~-]{0,128}$'),
  api_id      uuid NOT NULL,
  stage       text NOT NULL CHECK (stage ~ '^[A-Za-z0-9_-]{1,64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain_name, base_path),
  FOREIGN KEY (tenant_id, domain_name) REFERENCES domains (tenant_id, name) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX domain_mappings_api_idx ON domain_mappings (tenant_id, api_id);

ALTER TABLE domain_mappings ENABLE ROW LEVEL SECURITY;
ALTER TABLE domain_mappings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON domain_mappings
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON domain_mappings TO turnpike_app, turnpike_system;
