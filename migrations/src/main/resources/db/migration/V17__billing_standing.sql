-- Billing's standing of an app (suspended while a subscription of it is unpaid, good otherwise)
-- crosses from metering to the control plane through Kafka, not through the control plane's
-- outbox table: metering decides, the control plane applies the decision to the app's keys and
-- republishes them through its own outbox. Each side keeps its own tables.

-- Metering: its latest decision per app. The row is locked and its revision bumped before each
-- decision is taken, so two payments of one app decide one after the other and every decision
-- carries a revision one higher than the last.
CREATE TABLE billing_standings (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  app_id     uuid NOT NULL,
  standing   text NOT NULL CHECK (standing IN ('good', 'suspended')),
  revision   bigint NOT NULL CHECK (revision >= 1),
  decided_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, app_id),
  FOREIGN KEY (tenant_id, app_id) REFERENCES apps (tenant_id, id) ON DELETE CASCADE
);

-- Metering's own outbox: each decision is written here in the transaction of the payment that
-- caused it; the standing relay publishes pending rows to turnpike.billing.standing in id order
-- and stamps them sent. The payload is the encoded BillingStanding contract record.
CREATE TABLE billing_standing_outbox (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  app_id     uuid NOT NULL,
  revision   bigint NOT NULL CHECK (revision >= 1),
  payload    bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz
);
CREATE INDEX billing_standing_outbox_pending_idx ON billing_standing_outbox (id)
  WHERE sent_at IS NULL;

-- Control plane: the last decision it applied per app. A decision whose revision is not newer
-- than this one is a repeat or arrived late, and changes nothing.
CREATE TABLE app_billing_standings (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  app_id     uuid NOT NULL,
  standing   text NOT NULL CHECK (standing IN ('good', 'suspended')),
  revision   bigint NOT NULL CHECK (revision >= 1),
  decided_at timestamptz NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, app_id),
  FOREIGN KEY (tenant_id, app_id) REFERENCES apps (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['billing_standings', 'billing_standing_outbox', 'app_billing_standings']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = turnpike_current_tenant()) '
      || 'WITH CHECK (tenant_id = turnpike_current_tenant())', t);
  END LOOP;
END
$$;

-- Metering works as the cross-tenant system role; the control plane applies decisions in the
-- app's tenant scope, as every other change to an app's keys.
GRANT SELECT, INSERT, UPDATE, DELETE ON billing_standings, billing_standing_outbox TO turnpike_system;
GRANT SELECT, INSERT, UPDATE ON app_billing_standings TO turnpike_app;
GRANT SELECT ON app_billing_standings TO turnpike_system;
