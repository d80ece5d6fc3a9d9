-- Billing: hourly meter events sent to Stripe, and the metered price a usage-priced plan needs
-- beside its flat monthly price.

-- One row per meter event metering sends to Stripe. The identifier is deterministic
-- (sub_<subscription>_<yyyyMMddHH>, then _2, _3 ... for usage that arrived after the hour was
-- first sent), so a retry or a crash between sending and recording never bills twice: the row is
-- written before the call and stamped after it, and an unstamped row is sent again with the same
-- identifier and idempotency key.
CREATE TABLE stripe_meter_events (
  identifier      text PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  subscription_id uuid NOT NULL,
  hour_start      timestamptz NOT NULL,
  quantity        bigint NOT NULL CHECK (quantity > 0),
  event_name      text NOT NULL,
  stripe_customer text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX stripe_meter_events_hour_idx ON stripe_meter_events (subscription_id, hour_start);
CREATE INDEX stripe_meter_events_unsent_idx ON stripe_meter_events (created_at) WHERE sent_at IS NULL;

ALTER TABLE stripe_meter_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_meter_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_meter_events USING (tenant_id = turnpike_current_tenant())
  WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON stripe_meter_events TO turnpike_system;
GRANT SELECT ON stripe_meter_events TO turnpike_app;

-- A usage-priced plan has two Stripe prices: the licensed flat monthly one ('price') and the
-- metered one on its Billing Meter ('metered_price').
ALTER TABLE stripe_links DROP CONSTRAINT stripe_links_stripe_type_check;
ALTER TABLE stripe_links ADD CONSTRAINT stripe_links_stripe_type_check
  CHECK (stripe_type IN ('customer', 'checkout_session', 'subscription', 'price', 'metered_price', 'meter', 'invoice'));
