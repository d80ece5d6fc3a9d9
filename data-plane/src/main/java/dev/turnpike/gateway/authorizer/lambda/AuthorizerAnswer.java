package dev.turnpike.gateway.authorizer.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contracts.json.JsonCodec;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Lambda-style authorizer answered, parsed once and then judged against each call's method
 * ARN, so a cached answer decides later calls to other methods as API Gateway's cached policies do.
 * Either an IAM policy ({@code principalId}, {@code policyDocument}, {@code context}, {@code
 * usageIdentifierKey}) or, for payload 2.0 with simple responses, {@code {"isAuthorized": bool,
 * "context": {...}}}.
 *
 * @param simpleAuthorized the simple response's verdict; null for a policy answer
 * @param bytes the answer's size, what it weighs in the cache
 */
record AuthorizerAnswer(
    String principalId,
    List<Statement> statements,
    Boolean simpleAuthorized,
    Map<String, Object> context,
    String usageIdentifierKey,
    int bytes) {

  /** The one action a gateway call is: what statements' {@code Action} patterns are matched to. */
  static final String INVOKE_ACTION = "execute-api:Invoke";

  /**
   * Wildcard steps one evaluation may take: far beyond any policy a person writes (a statement
   * costs about its ARN's length), small enough to cost the event loop about a millisecond.
   */
  static final long EVALUATION_STEPS = 1_000_000;

  /** A resource pattern longer than this is no ARN; IAM's own limit on an ARN is 2048. */
  static final int MAX_PATTERN_LENGTH = 2048;

  /** The outcome of judging one call, as IAM evaluates a policy. */
  enum Verdict {
    ALLOW,
    /** A matching {@code Deny} statement, which wins over any {@code Allow}. */
    EXPLICIT_DENY,
    /** No statement matched (or a simple response said no). */
    IMPLICIT_DENY
  }

  /** One policy statement: its effect and the patterns of its actions and resources. */
  record Statement(boolean allow, List<String> actions, List<String> resources) {
    boolean appliesTo(String methodArn, Wildcard.Steps steps) {
      return anyMatches(actions, INVOKE_ACTION, true, steps)
          && anyMatches(resources, methodArn, false, steps);
    }

    private static boolean anyMatches(
        List<String> patterns, String text, boolean ignoreCase, Wildcard.Steps steps) {
      for (String pattern : patterns) {
        if (Wildcard.matches(pattern, text, ignoreCase, steps)) {
          return true;
        }
      }
      return false;
    }
  }

  /** An answer the gateway cannot use; the message is for the owner's log. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @throws Wildcard.TooCostly when the policy's patterns would cost more than {@link
   *     #EVALUATION_STEPS} against {@code methodArn}
   */
  Verdict decide(String methodArn) {
    if (simpleAuthorized != null) {
      return simpleAuthorized ? Verdict.ALLOW : Verdict.IMPLICIT_DENY;
    }
    Wildcard.Steps steps = new Wildcard.Steps(EVALUATION_STEPS);
    boolean allowed = false;
    for (Statement statement : statements) {
      if (statement.appliesTo(methodArn, steps)) {
        if (!statement.allow()) {
          return Verdict.EXPLICIT_DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Verdict.ALLOW : Verdict.IMPLICIT_DENY;
  }

  /** Parses a policy answer, or a simple response when {@code simpleResponses}. */
  static AuthorizerAnswer parse(Buffer payload, boolean simpleResponses) throws Malformed {
    JsonNode root;
    try {
      root = JsonCodec.mapper().readTree(payload.getBytes());
    } catch (IOException e) {
      throw new Malformed("the answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new Malformed("the answer is not a JSON object");
    }
    Map<String, Object> context = context(root.get("context"));
    if (simpleResponses) {
      JsonNode authorized = root.get("isAuthorized");
      if (authorized == null || !authorized.isBoolean()) {
        throw new Malformed("a simple response needs a boolean isAuthorized");
      }
      return new AuthorizerAnswer(
          null, List.of(), authorized.booleanValue(), context, null, payload.length());
    }
    return new AuthorizerAnswer(
        principalId(root.get("principalId")),
        statements(root.get("policyDocument")),
        null,
        context,
        optionalText(root.get("usageIdentifierKey"), "usageIdentifierKey"),
        payload.length());
  }

  private static String principalId(JsonNode node) throws Malformed {
    if (node == null || node.isNull()) {
      throw new Malformed("the answer has no principalId");
    }
    if (!node.isTextual() && !node.isNumber()) {
      throw new Malformed("principalId is not a string");
    }
    return node.asText();
  }

  private static List<Statement> statements(JsonNode document) throws Malformed {
    if (document == null || !document.isObject()) {
      throw new Malformed("the answer has no policyDocument object");
    }
    JsonNode statements = document.get("Statement");
    if (statements == null || statements.isNull()) {
      throw new Malformed("the policyDocument has no Statement");
    }
    List<Statement> parsed = new ArrayList<>();
    if (statements.isObject()) {
      parsed.add(statement(statements));
    } else if (statements.isArray()) {
      for (JsonNode statement : statements) {
        parsed.add(statement(statement));
      }
    } else {
      throw new Malformed("Statement is neither a statement nor a list of them");
    }
    return List.copyOf(parsed);
  }

  private static Statement statement(JsonNode node) throws Malformed {
    if (!node.isObject()) {
      throw new Malformed("a statement is not an object");
    }
    // Evaluating these would need what a gateway call does not have; ignoring them could allow
    // what the policy denies, so the answer is refused instead.
    for (String unsupported : List.of("NotAction", "NotResource", "Condition", "NotPrincipal")) {
      JsonNode value = node.get(unsupported);
      if (value != null && !value.isNull()) {
        throw new Malformed("statements with " + unsupported + " are not supported");
      }
    }
    JsonNode effect = node.get("Effect");
    if (effect == null || !effect.isTextual()) {
      throw new Malformed("a statement has no Effect");
    }
    boolean allow =
        switch (effect.textValue()) {
          case "Allow" -> true;
          case "Deny" -> false;
          default -> throw new Malformed("Effect must be Allow or Deny: " + effect.textValue());
        };
    return new Statement(
        allow, patterns(node.get("Action"), "Action"), patterns(node.get("Resource"), "Resource"));
  }

  private static List<String> patterns(JsonNode node, String field) throws Malformed {
    if (node == null || node.isNull()) {
      throw new Malformed("a statement has no " + field);
    }
    List<String> patterns = new ArrayList<>();
    if (node.isTextual()) {
      patterns.add(pattern(node, field));
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        patterns.add(pattern(item, field));
      }
    } else {
      throw new Malformed(field + " is neither a string nor a list of strings");
    }
    return List.copyOf(patterns);
  }

  private static String pattern(JsonNode node, String field) throws Malformed {
    if (!node.isTextual()) {
      throw new Malformed(field + " holds something other than a string");
    }
    if (node.textValue().length() > MAX_PATTERN_LENGTH) {
      throw new Malformed(field + " holds a pattern longer than " + MAX_PATTERN_LENGTH);
    }
    return node.textValue();
  }

  /** API Gateway's rule: context values are strings, numbers or booleans, never objects. */
  private static Map<String, Object> context(JsonNode node) throws Malformed {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new Malformed("context is not an object");
    }
    Map<String, Object> context = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isTextual()) {
        context.put(field.getKey(), value.textValue());
      } else if (value.isBoolean()) {
        context.put(field.getKey(), value.booleanValue());
      } else if (value.isNumber()) {
        context.put(field.getKey(), value.numberValue());
      } else if (!value.isNull()) {
        throw new Malformed(
            "context value " + field.getKey() + " is not a string, number or boolean");
      }
    }
    return Collections.unmodifiableMap(context);
  }

  private static String optionalText(JsonNode node, String field) throws Malformed {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Malformed(field + " is not a string");
    }
    return node.textValue();
  }
}
