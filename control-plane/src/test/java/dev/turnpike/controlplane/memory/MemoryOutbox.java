package dev.turnpike.controlplane.memory;

import dev.turnpike.controlplane.outbox.Outbox;
import java.util.UUID;

/** The outbox as rows of the in-memory database, so a record commits with its change or not. */
public final class MemoryOutbox implements Outbox {
  static final String TABLE = "outbox";

  /**
   * @param payload null for a tombstone
   * @param sent whether a relay published it (nothing relays here unless a test says so)
   * @param failure why a relay parked it, or null
   */
  public record Entry(
      long id,
      String topic,
      String key,
      byte[] payload,
      UUID deploymentId,
      boolean sent,
      String failure) {
    Entry delivered() {
      return new Entry(id, topic, key, payload, deploymentId, true, null);
    }
  }

  private final MemoryDb.Tx tx;
  private final MemoryDb.Table<Entry> entries;

  MemoryOutbox(MemoryDb.Tx tx, UUID tenantId) {
    this.tx = tx;
    this.entries = tx.table(TABLE, tenantId, Entry.class);
  }

  @Override
  public void append(String topic, String key, byte[] payload, UUID deploymentId) {
    long id = tx.nextId();
    entries.put(id, new Entry(id, topic, key, payload, deploymentId, false, null));
  }
}
