package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contracts.config.CorsConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code x-amazon-apigateway-cors} at the document's root, in the shape an HTTP API export writes:
 * {@code allowOrigins}, {@code allowMethods}, {@code allowHeaders}, {@code exposeHeaders}, {@code
 * maxAge}, {@code allowCredentials}. Read with the rules of {@link CorsConfiguration#problems()},
 * each problem at its place in the document.
 */
final class CorsExtension {
  static final String FIELD = "x-amazon-apigateway-cors";
  private static final List<String> LISTS =
      List.of("allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders");
  private static final Set<String> FIELDS =
      Set.of(
          "allowOrigins",
          "allowMethods",
          "allowHeaders",
          "exposeHeaders",
          "maxAge",
          "allowCredentials");

  private CorsExtension() {}

  /**
   * @return the API's CORS configuration in canonical form, or null when the document sets none
   */
  static CorsConfiguration read(Node document) {
    Node cors = document.member(FIELD);
    if (cors.isMissing()) {
      return null;
    }
    cors = cors.object();
    for (var field : cors.members()) {
      if (!FIELDS.contains(field.getKey())) {
        field.getValue().warn("is not a CORS field API Gateway knows; it is ignored");
      }
    }
    List<List<String>> lists = new ArrayList<>();
    for (String name : LISTS) {
      List<String> values = new ArrayList<>();
      for (Node element : cors.member(name).elements()) {
        // A non-string is an error already; an empty slot keeps the indexes of later problems.
        String text = element.text();
        values.add(text == null ? "" : text);
      }
      lists.add(values);
    }
    Boolean credentials = cors.member("allowCredentials").bool();
    CorsConfiguration config =
        new CorsConfiguration(
            lists.get(0),
            lists.get(1),
            lists.get(2),
            lists.get(3),
            cors.member("maxAge").integer(),
            credentials != null && credentials);
    Node at = cors;
    config
        .problems()
        .forEach(
            (pointer, message) -> {
              Node node = at;
              for (String step : pointer.substring(1).split("/")) {
                node =
                    step.chars().allMatch(Character::isDigit)
                        ? element(node, step)
                        : node.member(step);
              }
              node.error(message);
            });
    return config.normalized();
  }

  private static Node element(Node list, String index) {
    return list.elements().get(Integer.parseInt(index));
  }

  static void write(ObjectNode root, CorsConfiguration cors) {
    if (cors == null) {
      return;
    }
    ObjectNode out = root.putObject(FIELD);
    list(out, "allowOrigins", cors.allowOrigins());
    list(out, "allowMethods", cors.allowMethods());
    list(out, "allowHeaders", cors.allowHeaders());
    list(out, "exposeHeaders", cors.exposeHeaders());
    if (cors.maxAgeSeconds() != null) {
      out.put("maxAge", cors.maxAgeSeconds());
    }
    out.put("allowCredentials", cors.allowCredentials());
  }

  private static void list(ObjectNode out, String name, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = out.putArray(name);
      values.forEach(array::add);
    }
  }
}
