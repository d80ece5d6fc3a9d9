-- Access logs in an owner's format: a stage's API Gateway accessLogSettings.format, text with
-- $context variables (contracts' AccessLogFormat), NULL for none (then the gateway writes its JSON
-- fields, access_log_format's list, as before). A column of its own because access_log_format
-- already holds that field list.
ALTER TABLE stages
  ADD COLUMN custom_access_log_format text;
