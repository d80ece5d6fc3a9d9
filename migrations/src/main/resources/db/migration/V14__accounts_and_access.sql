-- Accounts and access: verified emails, blocked developers, caps owners set, and the narrowest
-- grants on the users table.

-- Whether the identity provider verified the user's email (the token's email_verified claim).
-- Only a verified address finds a person when an owner adds a member by email: anyone can
-- register any address, so an unverified one says nothing about who holds it.
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;

-- The users table is not tenant-owned, so row-level security does not guard it: grants are all
-- that does. The application signs users in (an upsert by subject that refreshes email, name and
-- verification, returning the id) and reads them; it never deletes a user, never changes a
-- subject or an id.
REVOKE ALL ON users FROM turnpike_app;
GRANT SELECT ON users TO turnpike_app;
GRANT INSERT (id, keycloak_subject, email, display_name, email_verified) ON users TO turnpike_app;
GRANT UPDATE (email, display_name, email_verified) ON users TO turnpike_app;

-- An owner blocks a developer with a reason the portal shows them. Their apps are held with the
-- status 'blocked' (not 'suspended', which the owner may set for reasons of their own), so
-- unblocking gives back exactly the apps the block took and no others.
ALTER TABLE tenant_developers
  ADD COLUMN blocked_reason text CHECK (length(blocked_reason) BETWEEN 1 AND 500),
  ADD COLUMN blocked_at     timestamptz;
ALTER TABLE apps DROP CONSTRAINT apps_status_check;
ALTER TABLE apps ADD CONSTRAINT apps_status_check
  CHECK (status IN ('active', 'suspended', 'blocked', 'deleted'));

-- Caps the owner sets for their developers; null takes the platform's default.
ALTER TABLE tenants
  ADD COLUMN max_keys_per_app       integer CHECK (max_keys_per_app >= 1),
  ADD COLUMN max_apps_per_developer integer CHECK (max_apps_per_developer >= 1);

-- What a plan's throttle and quota count: each key (API Gateway's rule) or every key of one
-- app's subscription together, so minting more keys does not multiply the allowance.
ALTER TABLE usage_plans
  ADD COLUMN limit_scope text NOT NULL DEFAULT 'key' CHECK (limit_scope IN ('key', 'subscription'));
