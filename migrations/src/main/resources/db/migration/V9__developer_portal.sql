-- Developer portal: developers register in a tenant's portal (they are not tenant members and get
-- no owner/admin/viewer role), and owners choose which plans the portal offers.

CREATE TABLE tenant_developers (
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  email        text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  company      text CHECK (length(company) <= 200),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_developers_user_idx ON tenant_developers (user_id);

ALTER TABLE tenant_developers ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_developers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_developers
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_developers TO turnpike_app, turnpike_system;

-- Hidden plans stay usable by the owner (who can subscribe apps to them through the management
-- API) but are not offered in the portal.
ALTER TABLE usage_plans ADD COLUMN portal_visible boolean NOT NULL DEFAULT true;
