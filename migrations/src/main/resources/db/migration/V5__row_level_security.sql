-- Row-level security on every tenant-owned table, as defense in depth beside the explicit
-- tenant predicates in queries. FORCE makes it apply to the table owner too (superusers and
-- BYPASSRLS roles still bypass it).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'apis', 'integrations', 'routes', 'deployments', 'stages',
    'usage_plans', 'plan_price_tiers', 'plan_stages', 'plan_method_throttles',
    'apps', 'subscriptions', 'api_keys', 'outbox', 'usage_aggregates',
    'invoices', 'invoice_lines', 'stripe_links', 'audit_log'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = turnpike_current_tenant()) '
      || 'WITH CHECK (tenant_id = turnpike_current_tenant())', t);
  END LOOP;
END
$$;

-- A tenant row is visible only inside its own tenant scope.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = turnpike_current_tenant()) WITH CHECK (id = turnpike_current_tenant());

-- Memberships: the tenant's own, plus the signed-in user's own across tenants (to pick a tenant).
ALTER TABLE tenant_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_members
  USING (tenant_id = turnpike_current_tenant() OR user_id = turnpike_current_user())
  WITH CHECK (tenant_id = turnpike_current_tenant());

-- Grants. The audit log is append-only for the application.
GRANT USAGE ON SCHEMA public TO turnpike_app, turnpike_system;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO turnpike_app, turnpike_system;
REVOKE UPDATE, DELETE ON audit_log FROM turnpike_app;
-- Metering's bookkeeping is not the management API's business.
REVOKE ALL ON consumer_offsets, processed_events, stripe_webhook_events FROM turnpike_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO turnpike_app, turnpike_system;
GRANT EXECUTE ON FUNCTION turnpike_current_tenant(), turnpike_current_user() TO turnpike_app, turnpike_system;

-- Flyway's own history is not the application's to read or change.
DO $$
BEGIN
  IF to_regclass('flyway_schema_history') IS NOT NULL THEN
    REVOKE ALL ON flyway_schema_history FROM turnpike_app, turnpike_system;
  END IF;
END
$$;
-- Later migrations grant on the tables they add, table by table.
