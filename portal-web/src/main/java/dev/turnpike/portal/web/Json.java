package dev.turnpike.portal.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns control-plane JSON into plain maps and lists, which templates read as properties. */
public final class Json {
  private Json() {}

  public static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
      return map;
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      return plain(new JsonObject(castMap(map)));
    }
    if (value instanceof List<?> list) {
      return plain(new JsonArray(new ArrayList<>(list)));
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** The {@code items} of a list answer, as plain maps. */
  public static List<Object> items(JsonObject answer) {
    JsonArray items = answer == null ? null : answer.getJsonArray("items");
    @SuppressWarnings("unchecked")
    List<Object> list = items == null ? List.of() : (List<Object>) plain(items);
    return list;
  }
}
