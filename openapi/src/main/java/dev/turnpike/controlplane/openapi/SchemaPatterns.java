package dev.turnpike.controlplane.openapi;

import dev.turnpike.contracts.config.ValidationPattern;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the {@code pattern}s of a body model the gateway will validate against the gateway's own
 * rule ({@link ValidationPattern}: linear-time RE2 syntax, bounded size), so a model it could not
 * run is refused at import with the pointer to the pattern instead of breaking the route later.
 * Walks the keywords the gateway checks, following local references once each.
 */
final class SchemaPatterns {
  private static final List<String> SCHEMA_LISTS = List.of("allOf", "anyOf", "oneOf");

  private final Node document;
  private final Set<String> visited = new HashSet<>();

  private SchemaPatterns(Node document) {
    this.document = document;
  }

  /** Records an error at each unacceptable pattern in {@code schema} and what it refers to. */
  static void check(Node document, Node schema) {
    new SchemaPatterns(document).walk(schema);
  }

  private void walk(Node node) {
    if (node.isMissing() || !node.isObject()) {
      return;
    }
    // Broken references are reported where the model is inlined; here they are just not followed.
    Node schema = node.value().has("$ref") ? Parameters.resolve(document, node) : node;
    if (schema == null || !schema.isObject() || !visited.add(schema.at().text())) {
      return;
    }
    Node pattern = schema.member("pattern");
    if (!pattern.isMissing() && pattern.value().isTextual()) {
      String problem = ValidationPattern.problem(pattern.value().textValue());
      if (problem != null) {
        pattern.error(problem);
      }
    }
    Node properties = schema.member("properties");
    if (properties.isObject()) {
      properties.members().forEach(property -> walk(property.getValue()));
    }
    walk(schema.member("additionalProperties"));
    walk(schema.member("not"));
    walkEach(schema.member("items"));
    for (String list : SCHEMA_LISTS) {
      walkEach(schema.member(list));
    }
  }

  /** A schema, or an array of them. */
  private void walkEach(Node node) {
    if (!node.isMissing() && node.value().isArray()) {
      node.elements().forEach(this::walk);
    } else {
      walk(node);
    }
  }
}
