-- A record Kafka refuses for what it is (too large, invalid) can never be published, and retrying
-- it would hold up every row behind it, of every tenant. The relay parks such a row instead: it
-- stamps failed_at with the reason and goes on. A row is pending (both stamps null), sent or
-- failed, never both.
ALTER TABLE outbox
  ADD COLUMN failed_at timestamptz,
  ADD COLUMN failure text CHECK (length(failure) <= 2000),
  ADD CONSTRAINT outbox_failure_reason CHECK ((failed_at IS NULL) = (failure IS NULL)),
  ADD CONSTRAINT outbox_sent_or_failed CHECK (sent_at IS NULL OR failed_at IS NULL);

-- The deployment a stage snapshot carries, so its owner can learn whether it reached the gateways
-- (published), waits (pending) or was refused (failed). Null on every other record. No foreign
-- key: the outbox is a log, and deleting an API deletes its deployments.
ALTER TABLE outbox ADD COLUMN deployment_id uuid;
CREATE INDEX outbox_deployment_idx ON outbox (tenant_id, deployment_id, id)
  WHERE deployment_id IS NOT NULL;

DROP INDEX outbox_unsent_idx;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Rows still waiting learn their deployment, so one stuck before this migration is reported
-- against its deployment once the relay parks it. Row-level security would hide every row from
-- this cross-tenant update; it is lifted for the update only. A payload that is not a snapshot
-- keeps no deployment.
ALTER TABLE outbox NO FORCE ROW LEVEL SECURITY;
DO $$
DECLARE
  pending record;
BEGIN
  FOR pending IN
    SELECT id, payload FROM outbox
    WHERE sent_at IS NULL AND topic = 'turnpike.config.deployments' AND payload IS NOT NULL
  LOOP
    BEGIN
      UPDATE outbox
      SET deployment_id = (convert_from(pending.payload, 'UTF8')::jsonb ->> 'deploymentId')::uuid
      WHERE id = pending.id;
    EXCEPTION WHEN others THEN
      NULL;
    END;
  END LOOP;
END
$$;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
