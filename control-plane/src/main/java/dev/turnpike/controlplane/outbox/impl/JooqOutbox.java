package dev.turnpike.controlplane.outbox.impl;

import static dev.turnpike.db.Tables.OUTBOX;

import dev.turnpike.controlplane.outbox.Outbox;
import java.util.UUID;
import org.jooq.DSLContext;

/** Writes outbox rows through the change's own transaction. */
public final class JooqOutbox implements Outbox {
  private final DSLContext tx;
  private final UUID tenantId;

  public JooqOutbox(DSLContext tx, UUID tenantId) {
    this.tx = tx;
    this.tenantId = tenantId;
  }

  @Override
  public void append(String topic, String key, byte[] payload, UUID deploymentId) {
    tx.insertInto(OUTBOX)
        .set(OUTBOX.TENANT_ID, tenantId)
        .set(OUTBOX.TOPIC, topic)
        .set(OUTBOX.MESSAGE_KEY, key)
        .set(OUTBOX.PAYLOAD, payload)
        .set(OUTBOX.DEPLOYMENT_ID, deploymentId)
        .execute();
  }
}
