-- An API's integrations and routes are read, counted and replaced by API, and an integration is
-- deleted only when no route uses it: without these indexes each of those is a scan of the whole
-- table, and replacing a definition of 10,000 routes (an OpenAPI import) took minutes.
CREATE INDEX routes_integration_idx ON routes (tenant_id, integration_id);
CREATE INDEX integrations_api_idx ON integrations (tenant_id, api_id);
CREATE INDEX stages_api_idx ON stages (tenant_id, api_id);
