-- Mapping templates (issue 16): what a non-proxy integration does to the request and the response,
-- as API Gateway's requestTemplates, passthroughBehavior, contentHandling and integration
-- responses. Templates are Velocity text by Content-Type; integration responses are an ordered
-- list (the order their selection patterns are tried), each {selectionPattern, statusCode,
-- responseParameters, responseTemplates, contentHandling}. Both are checked by the control plane
-- before they are written; the checks here only keep the shapes.
ALTER TABLE integrations
  ADD COLUMN request_templates     jsonb NOT NULL DEFAULT '{}'::jsonb
    CHECK (jsonb_typeof(request_templates) = 'object'),
  ADD COLUMN passthrough_behavior  text
    CHECK (passthrough_behavior IN ('when_no_match', 'when_no_templates', 'never')),
  ADD COLUMN content_handling      text
    CHECK (content_handling IN ('CONVERT_TO_TEXT', 'CONVERT_TO_BINARY')),
  ADD COLUMN integration_responses jsonb NOT NULL DEFAULT '[]'::jsonb
    CHECK (jsonb_typeof(integration_responses) = 'array');

-- aws: a Lambda function invoked with the payload its request template makes (non-proxy). Like
-- aws_proxy it names its function and may lack a uri; unlike it, it has no event format version.
ALTER TABLE integrations DROP CONSTRAINT integrations_type_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_type_check
  CHECK (type IN ('http', 'http_proxy', 'mock', 'aws_proxy', 'aws'));
ALTER TABLE integrations DROP CONSTRAINT integrations_uri_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_uri_check
  CHECK (type IN ('mock', 'aws_proxy', 'aws') OR uri IS NOT NULL);
ALTER TABLE integrations DROP CONSTRAINT integrations_function_check;
ALTER TABLE integrations ADD CONSTRAINT integrations_function_check
  CHECK ((type IN ('aws_proxy', 'aws')) = (function_name IS NOT NULL)
     AND (type = 'aws_proxy') = (payload_format_version IS NOT NULL));

-- A mock answers with its fixed response, or with the integration responses its request template's
-- statusCode selects.
ALTER TABLE integrations DROP CONSTRAINT integrations_check1;
ALTER TABLE integrations ADD CONSTRAINT integrations_mock_check
  CHECK (type <> 'mock' OR mock_status IS NOT NULL OR integration_responses <> '[]'::jsonb);
