CREATE TABLE usage_plans (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description       text,
  throttle_rate     double precision CHECK (throttle_rate >= 0),
  throttle_burst    integer CHECK (throttle_burst >= 0),
  quota_limit       bigint CHECK (quota_limit >= 0),
  quota_period      text CHECK (quota_period IN ('DAY', 'WEEK', 'MONTH')),
  -- AWS semantics: requests taken off the limit in the first period.
  quota_offset      bigint NOT NULL DEFAULT 0 CHECK (quota_offset >= 0),
  pricing_model     text NOT NULL DEFAULT 'free'
                    CHECK (pricing_model IN ('free', 'flat', 'per_request', 'graduated', 'volume')),
  currency          char(3) NOT NULL DEFAULT 'usd',
  -- Money is kept in minor units (cents); per-request prices in micro-units to allow fractions of a cent.
  flat_fee_cents    bigint NOT NULL DEFAULT 0 CHECK (flat_fee_cents >= 0),
  unit_price_micros bigint NOT NULL DEFAULT 0 CHECK (unit_price_micros >= 0),
  included_requests bigint NOT NULL DEFAULT 0 CHECK (included_requests >= 0),
  requires_approval boolean NOT NULL DEFAULT false,
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, name),
  CHECK ((throttle_rate IS NULL) = (throttle_burst IS NULL)),
  CHECK ((quota_limit IS NULL) = (quota_period IS NULL)),
  CHECK (quota_limit IS NULL OR quota_offset <= quota_limit)
);

-- Tiers for graduated and volume pricing, ordered by tier_index; the last tier has no upper bound.
CREATE TABLE plan_price_tiers (
  tenant_id         uuid NOT NULL,
  plan_id           uuid NOT NULL,
  tier_index        integer NOT NULL CHECK (tier_index >= 0),
  up_to             bigint CHECK (up_to > 0),
  unit_price_micros bigint NOT NULL CHECK (unit_price_micros >= 0),
  flat_fee_cents    bigint NOT NULL DEFAULT 0 CHECK (flat_fee_cents >= 0),
  PRIMARY KEY (plan_id, tier_index),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES usage_plans (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE plan_stages (
  tenant_id      uuid NOT NULL,
  plan_id        uuid NOT NULL,
  stage_id       uuid NOT NULL,
  -- Plan limits for this stage; null keeps the plan's own.
  throttle_rate  double precision CHECK (throttle_rate >= 0),
  throttle_burst integer CHECK (throttle_burst >= 0),
  PRIMARY KEY (plan_id, stage_id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES usage_plans (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, stage_id) REFERENCES stages (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE plan_method_throttles (
  tenant_id      uuid NOT NULL,
  plan_id        uuid NOT NULL,
  stage_id       uuid NOT NULL,
  resource_path  text NOT NULL CHECK (resource_path ~ '^/'),
  method         text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY', '*')),
  throttle_rate  double precision NOT NULL CHECK (throttle_rate >= 0),
  throttle_burst integer NOT NULL CHECK (throttle_burst >= 0),
  PRIMARY KEY (plan_id, stage_id, resource_path, method),
  FOREIGN KEY (plan_id, stage_id) REFERENCES plan_stages (plan_id, stage_id) ON DELETE CASCADE
);

CREATE TABLE apps (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  owner_user_id uuid NOT NULL REFERENCES users (id),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description   text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id)
);
CREATE INDEX apps_owner_idx ON apps (tenant_id, owner_user_id);

CREATE TABLE subscriptions (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  app_id               uuid NOT NULL,
  plan_id              uuid NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending_approval', 'pending_payment', 'active', 'suspended', 'cancelled')),
  current_period_start timestamptz,
  started_at           timestamptz,
  ended_at             timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, app_id) REFERENCES apps (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, plan_id) REFERENCES usage_plans (tenant_id, id),
  UNIQUE (tenant_id, id)
);
-- One live subscription per app and plan.
CREATE UNIQUE INDEX subscriptions_live_idx ON subscriptions (app_id, plan_id)
  WHERE status <> 'cancelled';

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  app_id       uuid NOT NULL,
  -- SHA-256 of the full key, lower-case hex. The key itself is shown once and never stored.
  key_hash     char(64) NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  prefix       text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
  name         text,
  status       text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled', 'revoked', 'suspended')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz,
  -- The key this one replaced when it was rotated.
  rotated_from uuid REFERENCES api_keys (id),
  FOREIGN KEY (tenant_id, app_id) REFERENCES apps (tenant_id, id) ON DELETE CASCADE,
  UNIQUE (tenant_id, id)
);
CREATE INDEX api_keys_app_idx ON api_keys (tenant_id, app_id);
