package dev.turnpike.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.config.ValidationPattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema compiled once per deployment and checked per request: the draft 4 keywords API
 * Gateway models use ({@code type}, {@code enum}, {@code required}, {@code properties}, {@code
 * additionalProperties}, {@code items}, {@code min/maxItems}, {@code uniqueItems}, {@code
 * min/maxLength}, {@code pattern}, {@code minimum}/{@code maximum} with draft 4's boolean {@code
 * exclusive*}, {@code multipleOf}, {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not}). Other
 * keywords ({@code format}, {@code dependencies}, ...) are not checked, so a body is never refused
 * for a rule this class does not know.
 */
public final class JsonSchema {
  private interface Check {
    boolean accepts(JsonNode value);
  }

  private static final Set<String> TYPES =
      Set.of("object", "array", "string", "boolean", "null", "number", "integer");

  private final List<Check> checks;
  private final int patternWeight;

  private JsonSchema(List<Check> checks, int patternWeight) {
    this.checks = checks;
    this.patternWeight = patternWeight;
  }

  /**
   * The sum of the weights of every pattern in this schema and its sub-schemas: matching all of
   * them against a text costs at most about this many steps per character.
   */
  public int patternWeight() {
    return patternWeight;
  }

  /**
   * @throws IllegalArgumentException naming the problem when the schema itself is malformed
   */
  public static JsonSchema compile(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      // true/{}: anything goes; a non-object schema is the deployer's mistake.
      if (schema != null && !schema.isBoolean()) {
        throw new IllegalArgumentException("a schema must be an object");
      }
      boolean anything = schema == null || schema.asBoolean();
      return new JsonSchema(List.of(value -> anything), 0);
    }
    List<Check> checks = new ArrayList<>();
    List<JsonSchema> parts = new ArrayList<>();
    type(schema.get("type"), checks);
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray()) {
      Set<JsonNode> values = new HashSet<>();
      allowed.forEach(values::add);
      checks.add(values::contains);
    }
    objectChecks(schema, checks, parts);
    arrayChecks(schema, checks, parts);
    ValidationPattern pattern = stringChecks(schema, checks);
    numberChecks(schema, checks);
    combinations(schema, checks, parts);
    long weight = pattern == null ? 0 : pattern.weight();
    for (JsonSchema part : parts) {
      weight += part.patternWeight;
    }
    return new JsonSchema(List.copyOf(checks), (int) Math.min(weight, Integer.MAX_VALUE));
  }

  public boolean accepts(JsonNode value) {
    for (Check check : checks) {
      if (!check.accepts(value)) {
        return false;
      }
    }
    return true;
  }

  private static void type(JsonNode type, List<Check> checks) {
    if (type == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    if (type.isArray()) {
      type.forEach(t -> names.add(t.asText()));
    } else {
      names.add(type.asText());
    }
    for (String name : names) {
      if (!TYPES.contains(name)) {
        throw new IllegalArgumentException("unknown type '" + name + "'");
      }
    }
    checks.add(value -> names.stream().anyMatch(name -> isOfType(value, name)));
  }

  private static boolean isOfType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      case "number" -> value.isNumber();
      case "integer" ->
          value.isIntegralNumber()
              || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
      default -> false;
    };
  }

  private static void objectChecks(JsonNode schema, List<Check> checks, List<JsonSchema> parts) {
    JsonNode required = schema.get("required");
    if (required != null && required.isArray()) {
      List<String> names = new ArrayList<>();
      required.forEach(n -> names.add(n.asText()));
      checks.add(value -> !value.isObject() || names.stream().allMatch(value::has));
    }
    JsonNode properties = schema.get("properties");
    Map<String, JsonSchema> declared = new java.util.HashMap<>();
    if (properties != null && properties.isObject()) {
      properties.properties().forEach(e -> declared.put(e.getKey(), compile(e.getValue())));
    }
    JsonNode additional = schema.get("additionalProperties");
    JsonSchema others =
        additional == null ? null : additional.isBoolean() ? null : compile(additional);
    parts.addAll(declared.values());
    if (others != null) {
      parts.add(others);
    }
    boolean othersForbidden =
        additional != null && additional.isBoolean() && !additional.asBoolean();
    if (declared.isEmpty() && others == null && !othersForbidden) {
      return;
    }
    checks.add(
        value -> {
          if (!value.isObject()) {
            return true;
          }
          for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonSchema property = declared.get(field.getKey());
            if (property != null) {
              if (!property.accepts(field.getValue())) {
                return false;
              }
            } else if (othersForbidden || (others != null && !others.accepts(field.getValue()))) {
              return false;
            }
          }
          return true;
        });
  }

  private static void arrayChecks(JsonNode schema, List<Check> checks, List<JsonSchema> parts) {
    JsonNode items = schema.get("items");
    if (items != null && items.isObject()) {
      JsonSchema item = compile(items);
      parts.add(item);
      checks.add(
          value -> {
            if (!value.isArray()) {
              return true;
            }
            for (JsonNode element : value) {
              if (!item.accepts(element)) {
                return false;
              }
            }
            return true;
          });
    }
    int min = schema.path("minItems").asInt(0);
    int max = schema.path("maxItems").asInt(Integer.MAX_VALUE);
    if (min > 0 || max < Integer.MAX_VALUE) {
      checks.add(value -> !value.isArray() || (value.size() >= min && value.size() <= max));
    }
    if (schema.path("uniqueItems").asBoolean(false)) {
      checks.add(
          value -> {
            if (!value.isArray()) {
              return true;
            }
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode element : value) {
              if (!seen.add(element)) {
                return false;
              }
            }
            return true;
          });
    }
  }

  /** Adds the string checks; returns the schema's own pattern, if it has one. */
  private static ValidationPattern stringChecks(JsonNode schema, List<Check> checks) {
    int min = schema.path("minLength").asInt(0);
    int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
    if (min > 0 || max < Integer.MAX_VALUE) {
      checks.add(
          value -> {
            if (!value.isTextual()) {
              return true;
            }
            int length = value.asText().codePointCount(0, value.asText().length());
            return length >= min && length <= max;
          });
    }
    JsonNode pattern = schema.get("pattern");
    if (pattern == null || !pattern.isTextual()) {
      return null;
    }
    // Linear-time (RE2/J) or refused: the control plane refuses the same at import.
    ValidationPattern compiled = ValidationPattern.compile(pattern.asText());
    checks.add(value -> !value.isTextual() || compiled.find(value.asText()));
    return compiled;
  }

  private static void numberChecks(JsonNode schema, List<Check> checks) {
    JsonNode minimum = schema.get("minimum");
    if (minimum != null && minimum.isNumber()) {
      BigDecimal bound = minimum.decimalValue();
      boolean exclusive =
          schema.path("exclusiveMinimum").isBoolean()
              && schema.path("exclusiveMinimum").asBoolean();
      checks.add(
          value -> {
            if (!value.isNumber()) {
              return true;
            }
            int c = value.decimalValue().compareTo(bound);
            return exclusive ? c > 0 : c >= 0;
          });
    }
    JsonNode maximum = schema.get("maximum");
    if (maximum != null && maximum.isNumber()) {
      BigDecimal bound = maximum.decimalValue();
      boolean exclusive =
          schema.path("exclusiveMaximum").isBoolean()
              && schema.path("exclusiveMaximum").asBoolean();
      checks.add(
          value -> {
            if (!value.isNumber()) {
              return true;
            }
            int c = value.decimalValue().compareTo(bound);
            return exclusive ? c < 0 : c <= 0;
          });
    }
    // JSON Schema 2019+ (OpenAPI 3.1) writes exclusive bounds as numbers of their own.
    JsonNode exclusiveMinimum = schema.get("exclusiveMinimum");
    if (exclusiveMinimum != null && exclusiveMinimum.isNumber()) {
      BigDecimal bound = exclusiveMinimum.decimalValue();
      checks.add(value -> !value.isNumber() || value.decimalValue().compareTo(bound) > 0);
    }
    JsonNode exclusiveMaximum = schema.get("exclusiveMaximum");
    if (exclusiveMaximum != null && exclusiveMaximum.isNumber()) {
      BigDecimal bound = exclusiveMaximum.decimalValue();
      checks.add(value -> !value.isNumber() || value.decimalValue().compareTo(bound) < 0);
    }
    JsonNode multipleOf = schema.get("multipleOf");
    if (multipleOf != null && multipleOf.isNumber() && multipleOf.decimalValue().signum() > 0) {
      BigDecimal divisor = multipleOf.decimalValue();
      checks.add(
          value ->
              !value.isNumber()
                  || value.decimalValue().remainder(divisor).compareTo(BigDecimal.ZERO) == 0);
    }
  }

  private static void combinations(JsonNode schema, List<Check> checks, List<JsonSchema> parts) {
    List<JsonSchema> all = list(schema.get("allOf"));
    if (!all.isEmpty()) {
      checks.add(value -> all.stream().allMatch(s -> s.accepts(value)));
    }
    List<JsonSchema> any = list(schema.get("anyOf"));
    if (!any.isEmpty()) {
      checks.add(value -> any.stream().anyMatch(s -> s.accepts(value)));
    }
    List<JsonSchema> one = list(schema.get("oneOf"));
    if (!one.isEmpty()) {
      checks.add(value -> one.stream().filter(s -> s.accepts(value)).count() == 1);
    }
    parts.addAll(all);
    parts.addAll(any);
    parts.addAll(one);
    JsonNode not = schema.get("not");
    if (not != null) {
      JsonSchema negated = compile(not);
      parts.add(negated);
      checks.add(value -> !negated.accepts(value));
    }
  }

  private static List<JsonSchema> list(JsonNode schemas) {
    List<JsonSchema> compiled = new ArrayList<>();
    if (schemas != null && schemas.isArray()) {
      schemas.forEach(s -> compiled.add(compile(s)));
    }
    return compiled;
  }
}
