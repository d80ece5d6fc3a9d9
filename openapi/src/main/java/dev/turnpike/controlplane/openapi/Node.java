package dev.turnpike.controlplane.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.turnpike.controlplane.limit.Limit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A place in the imported document with typed reads of it. A value of the wrong type becomes an
 * error at its pointer and reads as absent, so one bad value never hides the problems after it.
 */
final class Node {
  private final JsonNode value;
  private final Pointer at;
  private final Findings findings;

  Node(JsonNode value, Pointer at, Findings findings) {
    this.value = value == null || value.isNull() ? MissingNode.getInstance() : value;
    this.at = at;
    this.findings = findings;
  }

  JsonNode value() {
    return value;
  }

  Pointer at() {
    return at;
  }

  Findings findings() {
    return findings;
  }

  boolean isMissing() {
    return value.isMissingNode();
  }

  boolean isObject() {
    return value.isObject();
  }

  Node member(String field) {
    return new Node(value.isObject() ? value.get(field) : null, at.then(field), findings);
  }

  /** This node when it is an object; otherwise an error (unless absent) and an absent node. */
  Node object() {
    if (value.isObject() || isMissing()) {
      return this;
    }
    findings.error(at, "must be an object");
    return new Node(null, at, findings);
  }

  /** The members of an object in document order; none when absent or not an object. */
  List<Map.Entry<String, Node>> members() {
    List<Map.Entry<String, Node>> members = new ArrayList<>();
    if (object().isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        members.add(Map.entry(e.getKey(), new Node(e.getValue(), at.then(e.getKey()), findings)));
      }
    }
    return members;
  }

  /** The elements of an array; none when absent, and an error when not an array. */
  List<Node> elements() {
    List<Node> elements = new ArrayList<>();
    if (isMissing()) {
      return elements;
    }
    if (!value.isArray()) {
      findings.error(at, "must be an array");
      return elements;
    }
    for (int i = 0; i < value.size(); i++) {
      elements.add(new Node(value.get(i), at.then(i), findings));
    }
    return elements;
  }

  /** The string, or null when absent or not a string (an error). */
  String text() {
    if (isMissing()) {
      return null;
    }
    if (!value.isTextual()) {
      findings.error(at, "must be a string");
      return null;
    }
    return value.textValue();
  }

  /**
   * The whole number, or null when absent or not one (an error). Digits in a string count: API
   * Gateway writes status codes as strings.
   */
  Integer integer() {
    if (isMissing()) {
      return null;
    }
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt()) {
      return value.intValue();
    }
    if (value.isTextual() && value.textValue().matches("\\d{1,9}")) {
      return Integer.parseInt(value.textValue());
    }
    findings.error(at, "must be a whole number");
    return null;
  }

  /** The boolean, or null when absent or not one (an error). */
  Boolean bool() {
    if (isMissing()) {
      return null;
    }
    if (!value.isBoolean()) {
      findings.error(at, "must be true or false");
      return null;
    }
    return value.booleanValue();
  }

  /** An object of strings, in document order; null when absent. Non-strings are errors. */
  Map<String, String> strings() {
    if (isMissing()) {
      return null;
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<String, Node> member : members()) {
      String text = member.getValue().text();
      if (text != null) {
        strings.put(member.getKey(), text);
      }
    }
    return strings;
  }

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure limit-exceeded at this node when {@code
   *     actual} passes the limit: reading stops there, so a document past a limit is refused fast
   */
  void checkLimit(Limit limit, long actual) {
    findings.limits().check(limit, actual, at.text());
  }

  void error(String message) {
    findings.error(at, message);
  }

  void warn(String message) {
    findings.warn(at, message);
  }
}
