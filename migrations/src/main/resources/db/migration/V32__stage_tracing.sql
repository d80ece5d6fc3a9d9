-- Traces (issue 20): a stage's tracing as the gateway reads it (contracts' StageTracing:
-- tracingEnabled, samplingPercentage), NULL for API Gateway's default of no traces. Each gateway
-- node follows it up to its operator's ceiling and only when it has a collector to export to.
ALTER TABLE stages
  ADD COLUMN tracing_settings jsonb;
