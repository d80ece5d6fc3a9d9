-- Approval comes before payment, and payment before access (contracts' SubscriptionStatus):
--   approved            a paid plan the owner approved, waiting for the developer's payment
--   payment_processing  checkout completed with a payment that settles later (bank debit)
--   payment_failed      that payment failed; the developer may check out again
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check
  CHECK (status IN ('pending_approval', 'approved', 'pending_payment', 'payment_processing',
                    'payment_failed', 'active', 'suspended', 'cancelled'));

-- What billing learned of each Stripe invoice of a subscription: whether it is paid (final) or
-- its payment failed, and when Stripe created it. Webhooks arrive in any order; the newest invoice
-- decides, so a failure of an older invoice never suspends a subscription whose newer invoice is
-- paid, and an older invoice paid late never reinstates one whose newer invoice failed.
CREATE TABLE stripe_invoice_payments (
  invoice_id      text PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  subscription_id uuid NOT NULL,
  invoice_created timestamptz NOT NULL,
  paid            boolean NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX stripe_invoice_payments_subscription_idx
  ON stripe_invoice_payments (subscription_id, invoice_created);

ALTER TABLE stripe_invoice_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_invoice_payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_invoice_payments
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON stripe_invoice_payments TO turnpike_system;
GRANT SELECT ON stripe_invoice_payments TO turnpike_app;
