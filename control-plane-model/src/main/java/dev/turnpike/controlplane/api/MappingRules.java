package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.contracts.config.ResponseParameterMapping;
import dev.turnpike.contracts.config.ValidationPattern;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.TemplateSyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of mapping templates and integration responses, applied by the management API and by
 * the OpenAPI import alike: each returns why a value is refused (null when it is fine), so both
 * report it at their own pointer. Templates are compiled here, at save, so a syntax error is a 400
 * and a deployment never meets one.
 */
public final class MappingRules {
  public static final String PASSTHROUGH_RULE = "must be when_no_match, when_no_templates or never";
  public static final String CONTENT_HANDLING_RULE = "must be CONVERT_TO_TEXT or CONVERT_TO_BINARY";
  public static final String CONTENT_TYPE_RULE =
      "must be a media type such as application/json (templates are chosen by Content-Type)";
  public static final String RESPONSE_TARGET_RULE = ResponseParameterMapping.TARGET_RULE;
  public static final String RESPONSE_SOURCE_RULE = ResponseParameterMapping.SOURCE_RULE;
  public static final String GATEWAY_TARGET_RULE = "must be named gatewayresponse.header.NAME";
  public static final String GATEWAY_SOURCE_RULE =
      "must be method.request.{path|querystring|header}.NAME, stageVariables.NAME, context.NAME"
          + " or a 'static' value";

  private static final Pattern CONTENT_TYPE = Pattern.compile("^[\\w.+*-]+/[\\w.+*-]+$");
  private static final Pattern GATEWAY_TARGET =
      Pattern.compile("^gatewayresponse\\.header\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$");
  private static final Pattern GATEWAY_SOURCE =
      Pattern.compile(
          "^(method\\.request\\.(path|querystring|header)\\.[A-Za-z0-9_.-]+"
              + "|'[^']*'"
              + "|context\\.[A-Za-z0-9_.]+"
              + "|stageVariables\\.[A-Za-z0-9_]+)$");

  private MappingRules() {}

  /**
   * @return why a template does not compile, naming its line and column, or null
   */
  public static String templateProblem(String source) {
    if (source == null) {
      return "must be a template (text)";
    }
    try {
      MappingTemplate.compile(source);
      return null;
    } catch (TemplateSyntaxException e) {
      return "is not a valid mapping template"
          + (e.line() > 0 ? " at line " + e.line() + ", column " + e.column() : "")
          + ": "
          + e.getMessage();
    }
  }

  /**
   * @return why a template map's key is not a content type, or null
   */
  public static String contentTypeProblem(String contentType) {
    return contentType != null && CONTENT_TYPE.matcher(contentType).matches()
        ? null
        : CONTENT_TYPE_RULE;
  }

  /**
   * @return the behaviour, read without regard to case (AWS exports spell it in lower case, its API
   *     in upper case), or null when it is none of them
   */
  public static PassthroughBehavior passthroughBehavior(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "when_no_match" -> PassthroughBehavior.WHEN_NO_MATCH;
      case "when_no_templates" -> PassthroughBehavior.WHEN_NO_TEMPLATES;
      case "never" -> PassthroughBehavior.NEVER;
      default -> null;
    };
  }

  /**
   * @return the content handling, or null when it is neither value
   */
  public static ContentHandling contentHandling(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "CONVERT_TO_TEXT" -> ContentHandling.CONVERT_TO_TEXT;
      case "CONVERT_TO_BINARY" -> ContentHandling.CONVERT_TO_BINARY;
      default -> null;
    };
  }

  /**
   * @return why a selection pattern is refused, or null. The gateway runs selection patterns on
   *     RE2/J with a bounded program ({@link ValidationPattern}, the one rule for tenants'
   *     patterns): a pattern it could not run (a backreference, a lookahead, a huge counted
   *     repetition) is refused here instead of breaking its route at deployment.
   */
  public static String selectionPatternProblem(String pattern) {
    if (pattern == null) {
      return null;
    }
    try {
      ValidationPattern.compile(pattern);
      return null;
    } catch (IllegalArgumentException e) {
      return "must be a regular expression the gateway can run in linear time: " + e.getMessage();
    }
  }

  /**
   * @return why an integration response's parameter mapping is refused, or null
   */
  public static String responseParameterProblem(String target, String source) {
    return ResponseParameterMapping.problem(target, source);
  }

  /**
   * @return why a gateway response's parameter mapping is refused, or null
   */
  public static String gatewayResponseParameterProblem(String target, String source) {
    if (target == null || !GATEWAY_TARGET.matcher(target).matches()) {
      return GATEWAY_TARGET_RULE;
    }
    if (source == null || !GATEWAY_SOURCE.matcher(source).matches()) {
      return GATEWAY_SOURCE_RULE;
    }
    return IntegrationParameterRules.contextProblem(source);
  }
}
