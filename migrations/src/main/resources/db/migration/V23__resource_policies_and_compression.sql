-- Resource policies on the caller's source address and response compression (issue 17).

-- The API's allow and deny CIDR lists, {"allowCidrs": [...], "denyCidrs": [...]}; null for none.
-- Frozen into each deployment with the rest of the definition.
ALTER TABLE apis ADD COLUMN source_ip_policy jsonb;

-- API Gateway's minimumCompressionSize: responses of at least this many bytes are compressed when
-- the client accepts it; null for no compression.
ALTER TABLE apis ADD COLUMN minimum_compression_size integer
  CHECK (minimum_compression_size BETWEEN 0 AND 10485760);

-- Whether request bodies sent with Content-Encoding: gzip are inflated before the integration.
ALTER TABLE apis ADD COLUMN decompress_requests boolean NOT NULL DEFAULT false;

-- A stage's own allow and deny lists, added to the API's when the stage is published.
ALTER TABLE stages ADD COLUMN source_ip_policy jsonb;
