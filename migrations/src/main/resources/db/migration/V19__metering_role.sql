-- Metering gets a role of its own. It shared turnpike_system with the control plane's outbox relay,
-- so a fault in metering could have written any control-plane table (the outbox the gateways
-- trust, keys, tenants) and only a code check stopped it. turnpike_metering holds exactly what
-- metering's stores read and write, no more: PostgreSQL refuses the rest.
--   turnpike_metering  the metering service (usage aggregation, quota state, billing, webhooks,
--                      the billing-standing relay): cross-tenant, so BYPASSRLS on its login.
-- As with V1's roles, operators may create it (and grant it to a login) beforehand.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'turnpike_metering') THEN
    CREATE ROLE turnpike_metering NOLOGIN BYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO turnpike_metering;

-- Metering's own tables.
GRANT SELECT, INSERT, UPDATE ON usage_aggregates, consumer_offsets TO turnpike_metering;
GRANT SELECT, INSERT, DELETE ON processed_events TO turnpike_metering;
GRANT SELECT, INSERT ON invoices, invoice_lines, stripe_webhook_events TO turnpike_metering;
GRANT SELECT, INSERT, UPDATE
  ON stripe_links, stripe_meter_events, stripe_invoice_payments,
     billing_standings, billing_standing_outbox
  TO turnpike_metering;

-- The control plane's configuration, read to rate, bill and evaluate quotas.
GRANT SELECT ON usage_plans, plan_price_tiers, apps, users TO turnpike_metering;
-- A webhook locks the app row (FOR UPDATE) as the control plane does before it changes the app's
-- subscriptions or keys; PostgreSQL asks for UPDATE on one column to lock a row. updated_at is
-- that column: no rule reads it.
GRANT UPDATE (updated_at) ON apps TO turnpike_metering;
-- Usage of a deleted tenant is dropped: its id is all metering looks at.
GRANT SELECT (id) ON tenants TO turnpike_metering;

-- Payments move a subscription through its states; nothing else of it is metering's to change.
GRANT SELECT ON subscriptions TO turnpike_metering;
GRANT UPDATE (status, started_at, current_period_start, ended_at, updated_at)
  ON subscriptions TO turnpike_metering;

-- A key's last use, from the usage events; its secret, status and plan stay out of reach.
GRANT SELECT (id, last_used_at), UPDATE (last_used_at) ON api_keys TO turnpike_metering;

-- Payment changes are audited; the audit log stays append-only.
GRANT INSERT ON audit_log TO turnpike_metering;
