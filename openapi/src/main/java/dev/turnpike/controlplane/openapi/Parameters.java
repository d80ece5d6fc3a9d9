package dev.turnpike.controlplane.openapi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The method request parameters an operation declares, as OpenAPI combines them. */
final class Parameters {
  /** One declared parameter; {@code in} is path, query, header or cookie. */
  record Parameter(String name, String in, boolean required) {}

  private static final Set<String> LOCATIONS = Set.of("path", "query", "header", "cookie");
  private static final int MAX_REFERENCE_HOPS = 8;

  private Parameters() {}

  /**
   * The path item's parameters, overridden by the operation's of the same name and location, with
   * local {@code $ref}s resolved.
   */
  static List<Parameter> of(Node document, Node pathItem, Node operation) {
    Map<String, Parameter> byKey = new LinkedHashMap<>();
    for (Node source : List.of(pathItem.member("parameters"), operation.member("parameters"))) {
      for (Node element : source.elements()) {
        Parameter parameter = read(resolve(document, element));
        if (parameter != null) {
          byKey.put(parameter.in() + " " + parameter.name(), parameter);
        }
      }
    }
    return new ArrayList<>(byKey.values());
  }

  private static Parameter read(Node node) {
    if (node == null) {
      return null;
    }
    Node parameter = node.object();
    if (!parameter.isObject()) {
      return null;
    }
    Node name = parameter.member("name");
    Node in = parameter.member("in");
    String nameText = name.text();
    String inText = in.text();
    if (name.isMissing()) {
      name.error("is required");
    }
    if (in.isMissing()) {
      in.error("is required");
    } else if (inText != null && !LOCATIONS.contains(inText)) {
      in.error("must be path, query, header or cookie");
      inText = null;
    }
    Boolean required = parameter.member("required").bool();
    return nameText == null || inText == null
        ? null
        : new Parameter(nameText, inText, Boolean.TRUE.equals(required));
  }

  /**
   * @return the node a local {@code $ref} points at (itself when it is no reference), or null when
   *     the reference is broken (an error)
   */
  static Node resolve(Node document, Node node) {
    Node current = node;
    for (int hop = 0; hop < MAX_REFERENCE_HOPS; hop++) {
      Node ref = current.member("$ref");
      String target = ref.text();
      if (ref.isMissing()) {
        return current;
      }
      if (target == null) {
        return null;
      }
      if (!target.startsWith("#/")) {
        ref.error("only references into this document (#/...) are supported");
        return null;
      }
      String pointer =
          URLDecoder.decode(target.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
      var value = document.value().at(pointer);
      if (value.isMissingNode()) {
        ref.error("points at nothing in this document");
        return null;
      }
      current = new Node(value, new Pointer(pointer), node.findings());
    }
    node.error("has references that lead more than " + MAX_REFERENCE_HOPS + " deep");
    return null;
  }
}
