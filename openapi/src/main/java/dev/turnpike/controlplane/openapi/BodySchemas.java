package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.controlplane.limit.Limit;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds the JSON Schema a request body is validated against (API Gateway's request model) and makes
 * it self-contained for the gateway: local {@code $ref}s are inlined, and OpenAPI 3.0's {@code
 * nullable} becomes a {@code "null"} type. A schema that refers to itself is checked down to the
 * first repetition; deeper levels accept anything, so a body is never refused for a rule that was
 * not expanded.
 *
 * <p>Inlining is held to two owner limits: how deep references nest ({@link Limit#REF_DEPTH}) and
 * how many nodes all the document's schemas make once expanded ({@link Limit#REF_EXPANDED_NODES}).
 * References that expand exponentially (each definition using the next one twice) are refused after
 * that many nodes, in milliseconds, not after filling the memory.
 */
final class BodySchemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Node document;
  private long expandedNodes;

  BodySchemas(Node document) {
    this.document = document;
  }

  /** The operation's JSON body schema, or null when it declares no JSON body with a schema. */
  JsonNode jsonBodySchema(Node operation) {
    Node body = operation.member("requestBody");
    if (body.isMissing()) {
      return null;
    }
    body = Parameters.resolve(document, body);
    if (body == null) {
      return null;
    }
    Node content = body.member("content");
    String mediaType = null;
    for (var entry : content.members()) {
      String type = entry.getKey();
      if (type.equalsIgnoreCase("application/json")) {
        mediaType = type;
        break;
      }
      if (mediaType == null && type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
        mediaType = type;
      }
    }
    if (mediaType == null) {
      return null;
    }
    Node schema = content.member(mediaType).member("schema");
    if (schema.isMissing()) {
      return null;
    }
    SchemaPatterns.check(document, schema);
    return inline(schema, new HashSet<>());
  }

  private JsonNode inline(Node schema, Set<String> expanding) {
    schema.checkLimit(Limit.REF_EXPANDED_NODES, ++expandedNodes);
    JsonNode value = schema.value();
    if (value.isObject() && value.has("$ref")) {
      String ref = value.get("$ref").asText();
      if (expanding.contains(ref)) {
        return NODES.objectNode();
      }
      Node target = Parameters.resolve(document, schema);
      if (target == null) {
        // Parameters.resolve reported the broken reference.
        return NODES.objectNode();
      }
      expanding.add(ref);
      schema.member("$ref").checkLimit(Limit.REF_DEPTH, expanding.size());
      JsonNode inlined = inline(target, expanding);
      expanding.remove(ref);
      return inlined;
    }
    if (value.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (var member : value.properties()) {
        JsonNode field = member.getValue();
        copy.set(
            member.getKey(),
            field.isContainerNode() ? inline(schema.member(member.getKey()), expanding) : field);
      }
      if (copy.path("nullable").asBoolean(false) && copy.path("type").isTextual()) {
        ArrayNode types = NODES.arrayNode().add(copy.get("type").asText()).add("null");
        copy.set("type", types);
      }
      copy.remove("nullable");
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        // Scalars (an enum's null among them) are copied as they are.
        copy.add(
            element.isContainerNode()
                ? inline(new Node(element, schema.at().then(i), schema.findings()), expanding)
                : element);
      }
      return copy;
    }
    return value;
  }
}
