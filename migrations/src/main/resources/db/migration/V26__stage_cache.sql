-- Response caching (issue 18): a stage's cache settings as the gateway reads them (contracts'
-- StageCacheConfig: enabled, capacityBytes, ttlSeconds, methods, shareAcrossKeys,
-- requireAuthorizationForCacheControl, unauthorizedCacheControlHeaderStrategy), NULL for no cache.
-- The flush generation is its own column: a flush raises it and republishes the stage, and every
-- gateway node drops the entries it cached under an older one.
ALTER TABLE stages
  ADD COLUMN cache_settings jsonb,
  ADD COLUMN cache_flush_generation bigint NOT NULL DEFAULT 0 CHECK (cache_flush_generation >= 0);

-- An integration's API Gateway cacheKeyParameters (method.request.{path|querystring|header}.NAME):
-- the request values that tell its routes' cached responses apart.
ALTER TABLE integrations
  ADD COLUMN cache_key_parameters jsonb NOT NULL DEFAULT '[]'::jsonb;
