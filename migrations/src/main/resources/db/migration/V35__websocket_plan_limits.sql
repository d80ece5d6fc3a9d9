-- WebSocket limits of usage plans (WebSocket APIs issue): how many connections one key of the plan
-- may hold open at once, enforced by each gateway node on its own connections. Null: no limit of
-- the plan's own (the node's per-tenant cap still applies).
ALTER TABLE usage_plans
  ADD COLUMN max_connections_per_key integer
    CHECK (max_connections_per_key BETWEEN 1 AND 1000000);

-- WebSocket prices of usage plans, in millionths of the currency unit per million (API Gateway
-- prices messages and connection minutes per million): 1000000 is 1.00 per million.
ALTER TABLE usage_plans
  ADD COLUMN message_price_per_million_micros bigint NOT NULL DEFAULT 0
    CHECK (message_price_per_million_micros >= 0),
  ADD COLUMN connection_minute_price_per_million_micros bigint NOT NULL DEFAULT 0
    CHECK (connection_minute_price_per_million_micros >= 0);

-- What metering counts of WebSocket APIs, in the same exactly-once upsert as calls: messages
-- answered below 400 (MESSAGE events) and the milliseconds connections were open (DISCONNECT
-- events' connectionMillis).
ALTER TABLE usage_aggregates
  ADD COLUMN messages bigint NOT NULL DEFAULT 0,
  ADD COLUMN connection_millis bigint NOT NULL DEFAULT 0;
