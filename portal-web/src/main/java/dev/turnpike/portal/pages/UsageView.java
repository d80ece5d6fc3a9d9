package dev.turnpike.portal.pages;

import dev.turnpike.portal.web.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An app's usage answer turned into the usage table's rows and the chart's data. */
final class UsageView {
  private UsageView() {}

  /** Per key: its prefix, calls over the shown days, and its quotas. */
  static List<Object> rows(JsonObject usage) {
    JsonArray rows = new JsonArray();
    for (Object k : usage.getJsonArray("keys", new JsonArray())) {
      JsonObject key = (JsonObject) k;
      long total =
          key.getJsonArray("days", new JsonArray()).stream()
              .mapToLong(d -> ((JsonObject) d).getLong("calls", 0L))
              .sum();
      rows.add(
          new JsonObject()
              .put("prefix", key.getString("prefix"))
              .put("total", total)
              .put("quotas", key.getJsonArray("quotas", new JsonArray())));
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) Json.plain(rows);
    return list;
  }

  /** Chart.js data for the usage chart: one dataset per key, one point per day. */
  static String chart(JsonObject usage) {
    JsonArray labels = new JsonArray();
    JsonArray datasets = new JsonArray();
    JsonArray keys = usage.getJsonArray("keys", new JsonArray());
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      JsonArray data = new JsonArray();
      for (Object d : key.getJsonArray("days", new JsonArray())) {
        JsonObject day = (JsonObject) d;
        if (i == 0) {
          labels.add(day.getString("day"));
        }
        data.add(day.getLong("calls"));
      }
      String name = key.getString("name") == null ? key.getString("prefix") : key.getString("name");
      datasets.add(
          new JsonObject()
              .put("label", name + " (" + key.getString("prefix") + "…)")
              .put("data", data));
    }
    return new JsonObject().put("labels", labels).put("datasets", datasets).encode();
  }
}
