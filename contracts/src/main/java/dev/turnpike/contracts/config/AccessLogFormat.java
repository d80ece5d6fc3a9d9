package dev.turnpike.contracts.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An owner's access-log format for a stage, API Gateway's {@code accessLogSettings.format}: text
 * with {@code $context} variables, JSON or CLF-like as written, e.g. {@code {"requestId":
 * "$context.requestId", "ip": "$context.identity.sourceIp", "status": "$context.status"}}. The one
 * parser both the control plane (which refuses a format naming a variable nobody fills) and the
 * gateway (which renders it) use.
 *
 * @param parts the format's literal text and variables, in order
 * @param json whether the format is a JSON object (its first non-blank character is {@code {}),
 *     so the gateway writes values escaped as JSON string contents
 */
public record AccessLogFormat(List<Part> parts, boolean json) {
  /** API Gateway's limit on a format's length. */
  public static final int MAX_CHARS = 3_000;

  /**
   * The variables only a finished call has, besides {@link ContextVariables}'s: what access logs
   * (and nothing earlier in the call) can name.
   */
  public static final List<String> RESPONSE_VARIABLES =
      List.of(
          "status",
          "responseLength",
          "responseLatency",
          "integrationLatency",
          "integration.latency",
          "error.message",
          "error.messageString",
          "error.responseType",
          "xrayTraceId",
          "routeKey",
          "accountId");

  private static final Pattern VARIABLE =
      Pattern.compile("\\$context\\.([A-Za-z0-9_:\\-]+(?:\\.[A-Za-z0-9_:\\-]+)*)");

  public AccessLogFormat {
    parts = List.copyOf(parts);
  }

  /**
   * One piece of a format: literal text, or the variable {@code name} (without {@code context.}).
   */
  public record Part(String text, String variable) {
    public boolean isVariable() {
      return variable != null;
    }
  }

  /**
   * The parsed format, without judging it ({@link #problems} does).
   *
   * @throws IllegalArgumentException for null
   */
  public static AccessLogFormat parse(String format) {
    if (format == null) {
      throw new IllegalArgumentException("no access-log format");
    }
    List<Part> parts = new ArrayList<>();
    Matcher matcher = VARIABLE.matcher(format);
    int at = 0;
    while (matcher.find()) {
      if (matcher.start() > at) {
        parts.add(new Part(format.substring(at, matcher.start()), null));
      }
      parts.add(new Part(null, matcher.group(1)));
      at = matcher.end();
    }
    if (at < format.length()) {
      parts.add(new Part(format.substring(at), null));
    }
    return new AccessLogFormat(parts, format.stripLeading().startsWith("{"));
  }

  /** Whether an access-log format may name {@code variable} (without {@code context.}). */
  public static boolean isKnown(String variable) {
    return RESPONSE_VARIABLES.contains(variable) || ContextVariables.isFilled(variable);
  }

  /**
   * What is wrong with {@code format}, empty when nothing: its length, line breaks (one request is
   * one line), a variable nobody fills, and no request id, which API Gateway requires so that a
   * line can be found again ({@code $context.requestId} or {@code $context.extendedRequestId}).
   */
  public static List<String> problems(String format) {
    List<String> problems = new ArrayList<>();
    if (format == null || format.isBlank()) {
      problems.add("the access-log format is empty");
      return problems;
    }
    if (format.length() > MAX_CHARS) {
      problems.add("the access-log format is longer than " + MAX_CHARS + " characters");
    }
    if (format.indexOf('\n') >= 0 || format.indexOf('\r') >= 0) {
      problems.add("the access-log format must be one line");
    }
    Set<String> unknown = new LinkedHashSet<>();
    boolean requestId = false;
    for (Part part : parse(format).parts()) {
      if (part.isVariable()) {
        if (!isKnown(part.variable())) {
          unknown.add("$context." + part.variable());
        }
        requestId |=
            part.variable().equals("requestId") || part.variable().equals("extendedRequestId");
      }
    }
    for (String variable : unknown) {
      problems.add("the access-log format names " + variable + ", which the gateway does not fill");
    }
    if (!requestId) {
      problems.add("the access-log format must include $context.requestId");
    }
    return problems;
  }
}
