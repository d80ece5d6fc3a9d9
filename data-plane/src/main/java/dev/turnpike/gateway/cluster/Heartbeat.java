package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's "I am alive" record on the membership topic, keyed by its node id; a tombstone (null
 * value) under the same key says it left cleanly.
 *
 * @param address where its gateway listener takes traffic from other nodes, {@code host:port}
 * @param sentAtMillis the sender's wall clock when it sent the record
 * @param demand the traffic its hottest keys saw over the last heartbeat interval, for sharing
 *     limits by observed traffic; {@link DemandReport#none} from a node that does not tell
 */
public record Heartbeat(String nodeId, String address, long sentAtMillis, DemandReport demand) {

  public Heartbeat(String nodeId, String address, long sentAtMillis) {
    this(nodeId, address, sentAtMillis, DemandReport.none(nodeId));
  }

  public byte[] toJson() {
    JsonObject limiters = new JsonObject();
    demand
        .rates()
        .forEach(
            (limiterId, keys) -> {
              JsonObject byKey = new JsonObject();
              // Three decimals are plenty for a share and keep the record small.
              keys.forEach((key, rate) -> byKey.put(key, Math.round(rate * 1000) / 1000.0));
              limiters.put(limiterId, byKey);
            });
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("address", address)
        .put("sentAt", sentAtMillis)
        .put(
            "demand",
            new JsonObject()
                .put("truncated", demand.truncated())
                .put("total", Math.round(demand.totalRate() * 1000) / 1000.0)
                .put("limiters", limiters))
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a record's value, or null for one that is not a heartbeat (a topic is shared data: a bad
   * record is skipped, not fatal). A heartbeat without a readable demand counts as one that reports
   * none.
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
      return new Heartbeat(nodeId, address, sentAt, demand(nodeId, json.getJsonObject("demand")));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static DemandReport demand(String nodeId, JsonObject json) {
    if (json == null) {
      return DemandReport.none(nodeId);
    }
    try {
      Map<String, Map<String, Double>> rates = new HashMap<>();
      JsonObject limiters = json.getJsonObject("limiters", new JsonObject());
      for (String limiterId : limiters.fieldNames()) {
        JsonObject keys = limiters.getJsonObject(limiterId);
        Map<String, Double> byKey = new HashMap<>();
        for (String limitedKey : keys.fieldNames()) {
          double rate = keys.getDouble(limitedKey);
          if (rate > 0 && Double.isFinite(rate)) {
            byKey.put(limitedKey, rate);
          }
        }
        rates.put(limiterId, byKey);
      }
      return new DemandReport(
          nodeId, json.getBoolean("truncated", false), json.getDouble("total", 0.0), rates);
    } catch (ClassCastException | NullPointerException e) {
      return DemandReport.none(nodeId);
    }
  }
}
