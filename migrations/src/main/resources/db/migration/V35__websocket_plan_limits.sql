-- WebSocket limits of usage plans (WebSocket APIs issue): how many connections one key of the plan
-- may hold open at once, enforced by each gateway node on its own connections. Null: no limit of
-- the plan's own (the node's per-tenant cap still applies).
ALTER TABLE usage_plans
  ADD COLUMN max_connections_per_key integer
    CHECK (max_connections_per_key BETWEEN 1 AND 1000000);
