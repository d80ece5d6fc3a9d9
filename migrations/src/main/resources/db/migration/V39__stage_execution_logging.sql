-- Execution logs (issue 20): a stage's API Gateway methodSettings loggingLevel and
-- dataTraceEnabled, as contracts' StageExecutionLogging. NULL level is API Gateway's default, OFF
-- (the gateway writes no execution lines and the stage's snapshot leaves the setting out); bodies
-- are written only when data_trace_enabled is set and the level is not OFF.
ALTER TABLE stages
  ADD COLUMN execution_logging_level text
    CONSTRAINT stages_execution_logging_level_check CHECK (execution_logging_level IN ('ERROR', 'INFO')),
  ADD COLUMN execution_data_trace_enabled boolean NOT NULL DEFAULT false;
