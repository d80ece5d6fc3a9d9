-- Transactional outbox: a change and the config records it publishes commit together; the relay
-- publishes rows in id order and stamps sent_at. A null payload is a tombstone.
CREATE TABLE outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  topic       text NOT NULL CHECK (topic LIKE 'turnpike.%'),
  message_key text NOT NULL,
  payload     bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;

-- Usage rolled up per minute, hour, day and month. The key columns use '' rather than null for
-- "no key / no plan" so the primary key can cover them.
CREATE TABLE usage_aggregates (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  granularity        text NOT NULL CHECK (granularity IN ('minute', 'hour', 'day', 'month')),
  bucket_start       timestamptz NOT NULL,
  api_id             text NOT NULL,
  stage              text NOT NULL,
  key_id             text NOT NULL,
  app_id             text NOT NULL,
  plan_id            text NOT NULL,
  calls              bigint NOT NULL DEFAULT 0,
  errors_4xx         bigint NOT NULL DEFAULT 0,
  errors_5xx         bigint NOT NULL DEFAULT 0,
  bytes_in           bigint NOT NULL DEFAULT 0,
  bytes_out          bigint NOT NULL DEFAULT 0,
  latency_sum_micros bigint NOT NULL DEFAULT 0,
  latency_max_micros bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, granularity, bucket_start, api_id, stage, key_id, app_id, plan_id)
);
CREATE INDEX usage_aggregates_key_idx ON usage_aggregates (key_id, granularity, bucket_start);

-- Metering's consumer positions, committed in the same transaction as the aggregates.
CREATE TABLE consumer_offsets (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL,
  next_offset    bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Event ids already counted, kept for the dedup window and then pruned.
CREATE TABLE processed_events (
  event_id     uuid PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_age_idx ON processed_events (processed_at);

CREATE TABLE invoices (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL,
  app_id          uuid NOT NULL,
  subscription_id uuid NOT NULL,
  period_start    timestamptz NOT NULL,
  period_end      timestamptz NOT NULL,
  currency        char(3) NOT NULL,
  total_cents     bigint NOT NULL CHECK (total_cents >= 0),
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, app_id) REFERENCES apps (tenant_id, id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, id),
  -- Rating a period twice must not bill twice.
  UNIQUE (subscription_id, period_start),
  UNIQUE (tenant_id, id),
  CHECK (period_end > period_start)
);

CREATE TABLE invoice_lines (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  invoice_id        uuid NOT NULL,
  line_index        integer NOT NULL,
  description       text NOT NULL,
  quantity          bigint NOT NULL CHECK (quantity >= 0),
  unit_price_micros bigint NOT NULL CHECK (unit_price_micros >= 0),
  amount_cents      bigint NOT NULL CHECK (amount_cents >= 0),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (invoice_id, line_index)
);

-- Which Stripe object stands for which of ours (customer for an app owner, subscription, meter, invoice).
CREATE TABLE stripe_links (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  entity_type text NOT NULL CHECK (entity_type IN ('app', 'user', 'subscription', 'plan', 'invoice')),
  entity_id   uuid NOT NULL,
  stripe_type text NOT NULL CHECK (stripe_type IN ('customer', 'checkout_session', 'subscription', 'price', 'meter', 'invoice')),
  stripe_id   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity_type, entity_id, stripe_type),
  UNIQUE (stripe_type, stripe_id)
);

-- Stripe webhook events already handled: Stripe retries, and a retry must change nothing.
CREATE TABLE stripe_webhook_events (
  event_id    text PRIMARY KEY,
  type        text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  actor_user_id uuid REFERENCES users (id),
  actor         text NOT NULL,
  action        text NOT NULL,
  entity_type   text NOT NULL,
  entity_id     text,
  before        jsonb,
  after         jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, id DESC);
