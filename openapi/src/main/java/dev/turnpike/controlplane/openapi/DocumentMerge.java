package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Merges an imported document into the one kept from before, the way a merge import merges the
 * definition: operations and named components of the new document win, the rest stays. The kept
 * document then still describes every route, for the developer portal's docs.
 */
final class DocumentMerge {
  private static final Set<String> MERGED_BY_NAME =
      Set.of(GatewayResponsesReader.FIELD, RequestValidators.DEFINITIONS);

  private DocumentMerge() {}

  static JsonNode merge(JsonNode stored, JsonNode incoming) {
    if (!stored.isObject()) {
      return incoming;
    }
    ObjectNode result = stored.deepCopy();
    for (Map.Entry<String, JsonNode> field : incoming.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("paths") || name.equals("components")) {
        // One level down: each path's operations, each component section's entries.
        ObjectNode target = objectIn(result, name);
        for (Map.Entry<String, JsonNode> child : value.properties()) {
          mergeInto(target, child.getKey(), child.getValue());
        }
      } else if (MERGED_BY_NAME.contains(name)) {
        mergeInto(result, name, value);
      } else if (name.equals(DocumentMapper.BINARY_MEDIA_TYPES)
          && result.get(name) instanceof ArrayNode before
          && value.isArray()) {
        Set<JsonNode> union = new LinkedHashSet<>();
        before.forEach(union::add);
        value.forEach(union::add);
        result.putArray(name).addAll(union);
      } else {
        result.set(name, value);
      }
    }
    return result;
  }

  private static void mergeInto(ObjectNode parent, String name, JsonNode value) {
    if (parent.get(name) instanceof ObjectNode existing && value.isObject()) {
      existing.setAll((ObjectNode) value);
    } else {
      parent.set(name, value);
    }
  }

  private static ObjectNode objectIn(ObjectNode parent, String name) {
    if (parent.get(name) instanceof ObjectNode existing) {
      return existing;
    }
    return parent.putObject(name);
  }
}
