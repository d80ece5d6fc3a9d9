-- Canary releases (issue 18): a stage's canary as an owner set it (the control plane's StageCanary:
-- deploymentId, percentTraffic, stageVariableOverrides, useStageCache, stickinessSeconds), NULL
-- for none. The deployment is also a column with a foreign key, so a canary can only name a
-- deployment of the stage's tenant; that it is of the stage's own API the control plane checks.
ALTER TABLE stages
  ADD COLUMN canary_settings jsonb,
  ADD COLUMN canary_deployment_id uuid,
  ADD CONSTRAINT stages_canary_deployment_fk
    FOREIGN KEY (tenant_id, canary_deployment_id) REFERENCES deployments (tenant_id, id),
  ADD CONSTRAINT stages_canary_together
    CHECK ((canary_settings IS NULL) = (canary_deployment_id IS NULL));
