package dev.turnpike.mapping;

import java.util.Map;

/**
 * {@code $context}: the dotted names of {@link TemplateInput#context()} as nested maps, so {@code
 * $context.identity.sourceIp} and {@code $context.authorizer.claims.sub} resolve as on API Gateway,
 * plus {@code $context.responseOverride}, which a response template sets and the gateway reads
 * after the rendering.
 */
final class ContextVariable {
  static final String RESPONSE_OVERRIDE = "responseOverride";
  static final String REQUEST_OVERRIDE = "requestOverride";

  private ContextVariable() {}

  static Map<Object, Object> of(Map<String, String> variables) {
    Map<Object, Object> root = new Structures.TemplateMap();
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      put(root, variable.getKey(), variable.getValue());
    }
    Object message = lookup(root, "error.message");
    if (message != null && lookup(root, "error.messageString") == null) {
      // The guide: "The quoted value of $context.error.message, namely "$context.error.message"".
      put(root, "error.messageString", "\"" + message + "\"");
    }
    Map<Object, Object> response = new FinalValues();
    response.put("header", new FinalValues());
    root.put(RESPONSE_OVERRIDE, response);
    Map<Object, Object> request = new FinalValues();
    request.put("header", new FinalValues());
    request.put("path", new FinalValues());
    request.put("querystring", new FinalValues());
    root.put(REQUEST_OVERRIDE, request);
    return root;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<Object, Object> root, String name, String value) {
    if (name == null
        || name.isEmpty()
        || name.startsWith(RESPONSE_OVERRIDE)
        || name.startsWith(REQUEST_OVERRIDE)) {
      return;
    }
    String[] parts = name.split("\\.", -1);
    Map<Object, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map<?, ?>)) {
        // A name that is both a value and a prefix keeps the names under it: they are the ones
        // a template can reach.
        child = new Structures.TemplateMap();
        node.put(parts[i], child);
      }
      node = (Map<Object, Object>) child;
    }
    String leaf = parts[parts.length - 1];
    if (!(node.get(leaf) instanceof Map<?, ?>)) {
      node.put(leaf, value);
    }
  }

  private static Object lookup(Map<Object, Object> root, String name) {
    Object node = root;
    for (String part : name.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  /**
   * An override's values: "Overrides are final. An override may only be applied to each parameter
   * once. Trying to override the same parameter multiple times will result in 5XX responses" (the
   * guide), so a second {@code #set} of one fails the rendering.
   */
  static final class FinalValues extends Structures.TemplateMap {
    private static final long serialVersionUID = 1L;

    @Override
    public Object put(Object key, Object value) {
      if (containsKey(key)) {
        throw new IllegalStateException("the template overrides " + key + " more than once");
      }
      return super.put(key, value);
    }
  }
}
