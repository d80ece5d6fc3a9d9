-- WebSocket APIs (issue 19): an API with a row here is a WebSocket API (its protocol), whose
-- definition is Turnpike's WebSocket export format, the contract's WebSocketApiConfig:
-- {"routeSelectionExpression": "$request.body.action", "routes": [{"routeKey", "apiKeyRequired",
-- "authorization", "integration", "twoWay"}, ...]}. Part of the API's definition: it reaches the
-- gateway only frozen into a deployment. The rules are the contract's (WebSocketApiConfig.problems);
-- the checks here back up the ones a row cannot do without.
CREATE TABLE websocket_apis (
  tenant_id   uuid NOT NULL,
  api_id      uuid NOT NULL,
  definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'
                                    AND jsonb_typeof(definition -> 'routes') = 'array'
                                    AND jsonb_array_length(definition -> 'routes') <= 300),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api_id),
  FOREIGN KEY (tenant_id, api_id) REFERENCES apis (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE websocket_apis ENABLE ROW LEVEL SECURITY;
ALTER TABLE websocket_apis FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON websocket_apis
  USING (tenant_id = turnpike_current_tenant()) WITH CHECK (tenant_id = turnpike_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON websocket_apis TO turnpike_app, turnpike_system;
