-- Roles. The application never connects as the schema owner, so row-level security always
-- applies to it. Operators may create these roles (and grant them to login users) beforehand;
-- the migration creates them only when they are missing.
--   turnpike_app     tenant-scoped work (management API, portal relay): RLS enforced.
--   turnpike_system  cross-tenant workers (outbox relay, metering, sign-in lookups): BYPASSRLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'turnpike_app') THEN
    CREATE ROLE turnpike_app NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'turnpike_system') THEN
    CREATE ROLE turnpike_system NOLOGIN BYPASSRLS;
  END IF;
END
$$;

-- The tenant of the current transaction: every tenant-scoped transaction runs
-- SET LOCAL turnpike.tenant_id = '<uuid>'. Unset (or reset to '' after a transaction) means
-- no tenant, and then no tenant-owned row is visible.
CREATE FUNCTION turnpike_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('turnpike.tenant_id', true), '')::uuid $$;

-- The signed-in user, so a user can see their own memberships across tenants.
CREATE FUNCTION turnpike_current_user() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('turnpike.user_id', true), '')::uuid $$;

CREATE TABLE tenants (
  id                  uuid PRIMARY KEY,
  slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  -- Portal branding the owner sets: name, logo URL, colours.
  portal_branding     jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Tenant-wide account limit across all its APIs (AWS default 10,000 rps / 5,000 burst).
  account_rate_limit  double precision NOT NULL DEFAULT 10000 CHECK (account_rate_limit >= 0),
  account_burst_limit integer NOT NULL DEFAULT 5000 CHECK (account_burst_limit >= 0),
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id               uuid PRIMARY KEY,
  keycloak_subject text NOT NULL UNIQUE,
  email            text,
  display_name     text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_members (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('owner', 'admin', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX tenant_members_user_idx ON tenant_members (user_id);
