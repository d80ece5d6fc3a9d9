-- CORS per API (issue 17), as API Gateway's HTTP API corsConfiguration: {allowOrigins, allowMethods,
-- allowHeaders, exposeHeaders, maxAge, allowCredentials}; null when the API has none. The control
-- plane checks the rules (CorsConfiguration.problems) before writing; the check here only keeps the
-- shape.
ALTER TABLE apis
  ADD COLUMN cors_configuration jsonb
    CHECK (cors_configuration IS NULL OR jsonb_typeof(cors_configuration) = 'object');
