package dev.turnpike.gateway.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A node's "I am alive" record on the membership topic, keyed by its node id; a tombstone (null
 * value) under the same key says it left cleanly.
 *
 * @param address where its gateway listener takes traffic from other nodes, {@code host:port}
 * @param sentAtMillis the sender's wall clock when it sent the record
 */
public record Heartbeat(String nodeId, String address, long sentAtMillis) {

  public byte[] toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("address", address)
        .put("sentAt", sentAtMillis)
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a record's value, or null for one that is not a heartbeat (a topic is shared data: a bad
   * record is skipped, not fatal).
   */
  public static Heartbeat fromJson(String key, byte[] value) {
    try {
      JsonObject json = new JsonObject(new String(value, StandardCharsets.UTF_8));
      String nodeId = json.getString("nodeId");
      String address = json.getString("address");
      Long sentAt = json.getLong("sentAt");
      if (nodeId == null || !nodeId.equals(key) || address == null || sentAt == null) {
        return null;
      }
      return new Heartbeat(nodeId, address, sentAt);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
