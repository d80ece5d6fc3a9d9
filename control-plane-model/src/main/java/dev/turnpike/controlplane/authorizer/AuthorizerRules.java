package dev.turnpike.controlplane.authorizer;

import dev.turnpike.contracts.config.AuthorizerConfig;
import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.contracts.config.FunctionTarget;
import dev.turnpike.contracts.config.JwtConfiguration;
import dev.turnpike.contracts.config.ValidationPattern;
import dev.turnpike.controlplane.function.FunctionNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * API Gateway's rules for an authorizer, one place for the management API and the OpenAPI import:
 * which fields each type takes, the identity source syntax, the bounds, and the defaults. Problems
 * are reported by field name (the management API's JSON names), so each caller says where in its
 * own input they are.
 *
 * <p>Identity sources: a JWT authorizer reads one, {@code $request.header.X} or {@code
 * $request.querystring.x} (default {@code $request.header.Authorization}); a TOKEN authorizer one
 * header, {@code method.request.header.X} (default {@code method.request.header.Authorization}); a
 * REQUEST authorizer up to ten of {@code method.request.header.X}, {@code
 * method.request.querystring.x}, {@code stageVariables.x}, {@code context.x} or their HTTP API
 * forms {@code $request.header.X}, {@code $request.querystring.x}, {@code $stageVariables.x},
 * {@code $context.x}; at least one when results are cached, since the cache is keyed by them.
 */
public final class AuthorizerRules {
  public static final String NAME_RULE = "must be 1 to 128 letters, digits, '-' or '_'";
  public static final int MIN_TIMEOUT_MS = 50;

  /** API Gateway waits at most 10 seconds for a Lambda authorizer. */
  public static final int MAX_TIMEOUT_MS = 10_000;

  public static final int MAX_IDENTITY_SOURCES = 10;
  public static final int MAX_AUDIENCES = 10;

  /** An expression is run on every uncached call; long ones are refused, as API Gateway does. */
  public static final int MAX_EXPRESSION_LENGTH = 1024;

  static final int MAX_URL_LENGTH = 2048;
  static final int MAX_AUDIENCE_LENGTH = 256;

  public static final String DEFAULT_JWT_SOURCE = "$request.header.Authorization";
  public static final String DEFAULT_TOKEN_SOURCE = "method.request.header.Authorization";

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
  private static final String HEADER = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}";
  private static final String KEY = "[A-Za-z0-9._~-]{1,128}";
  private static final Pattern JWT_SOURCE =
      Pattern.compile("^\\$request\\.(header\\." + HEADER + "|querystring\\." + KEY + ")$");
  private static final Pattern TOKEN_SOURCE =
      Pattern.compile("^(method\\.request|\\$request)\\.header\\." + HEADER + "$");
  private static final Pattern REQUEST_SOURCE =
      Pattern.compile(
          "^((method\\.request|\\$request)\\.(header\\."
              + HEADER
              + "|querystring\\."
              + KEY
              + ")|\\$?stageVariables\\."
              + KEY
              + "|\\$?context\\."
              + KEY
              + ")$");

  private AuthorizerRules() {}

  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Judges an authorizer and fills in the defaults: identity sources, timeout, result TTL, payload
   * format version. The function is kept as the reference it names ({@code orders:live}), an ARN
   * reduced to it.
   *
   * @param problems receives (field, message) for each problem; the result means nothing when it
   *     received any
   */
  public static AuthorizerSpec check(AuthorizerSpec in, BiConsumer<String, String> problems) {
    String type = in.type();
    if (type == null || type.isBlank()) {
      problems.accept("type", "is required: jwt, token or request");
      return in;
    }
    return switch (type) {
      case AuthorizerSpec.JWT -> jwt(in, problems);
      case AuthorizerSpec.TOKEN, AuthorizerSpec.REQUEST -> custom(in, problems);
      default -> {
        problems.accept("type", "must be jwt, token or request");
        yield in;
      }
    };
  }

  private static AuthorizerSpec jwt(AuthorizerSpec in, BiConsumer<String, String> problems) {
    List<String> sources = sources(in, DEFAULT_JWT_SOURCE, problems);
    if (sources.size() != 1) {
      problems.accept("identitySources", "a jwt authorizer reads exactly one identity source");
    } else if (!JWT_SOURCE.matcher(sources.get(0)).matches()) {
      problems.accept(
          "identitySources/0",
          "must be $request.header.{name} or $request.querystring.{name}, such as "
              + DEFAULT_JWT_SOURCE);
    }
    JwtConfiguration jwt = in.jwt();
    if (jwt == null) {
      problems.accept("jwt", "is required for a jwt authorizer: {issuer, audience}");
    } else {
      if (jwt.issuer() == null || jwt.issuer().isBlank()) {
        problems.accept("jwt/issuer", "is required");
      } else if (!isHttpUrl(jwt.issuer(), true)) {
        problems.accept(
            "jwt/issuer",
            "must be an absolute http or https URL, at most "
                + MAX_URL_LENGTH
                + " characters, as tokens carry it in iss (the signing keys are found at"
                + " {issuer}/.well-known/openid-configuration)");
      }
      if (jwt.audience().isEmpty()) {
        problems.accept("jwt/audience", "must name at least one audience");
      } else if (jwt.audience().size() > MAX_AUDIENCES) {
        problems.accept("jwt/audience", "may name at most " + MAX_AUDIENCES + " audiences");
      }
      for (int i = 0; i < jwt.audience().size(); i++) {
        String audience = jwt.audience().get(i);
        if (audience == null || audience.isBlank() || audience.length() > MAX_AUDIENCE_LENGTH) {
          problems.accept(
              "jwt/audience/" + i, "must be 1 to " + MAX_AUDIENCE_LENGTH + " characters");
        }
      }
    }
    String notJwt = "is not used by a jwt authorizer";
    forbid(problems, "function", in.function(), notJwt);
    forbid(problems, "endpointUrl", in.endpointUrl(), notJwt);
    forbid(problems, "identityValidationExpression", in.identityValidationExpression(), notJwt);
    forbid(problems, "timeoutMillis", in.timeoutMillis(), notJwt);
    forbid(problems, "resultTtlSeconds", in.resultTtlSeconds(), notJwt);
    if (Boolean.TRUE.equals(in.simpleResponses())) {
      problems.accept("simpleResponses", notJwt);
    }
    if (in.payloadFormatVersion() != null
        && !FunctionTarget.PAYLOAD_2_0.equals(in.payloadFormatVersion())) {
      problems.accept("payloadFormatVersion", "a jwt authorizer is an HTTP API's: 2.0");
    }
    return new AuthorizerSpec(
        AuthorizerSpec.JWT,
        sources,
        jwt,
        null,
        null,
        null,
        null,
        null,
        FunctionTarget.PAYLOAD_2_0,
        false);
  }

  private static AuthorizerSpec custom(AuthorizerSpec in, BiConsumer<String, String> problems) {
    boolean token = AuthorizerSpec.TOKEN.equals(in.type());
    forbid(problems, "jwt", in.jwt(), "is used only by a jwt authorizer");
    String function = null;
    boolean hasFunction = in.function() != null && !in.function().isBlank();
    boolean hasEndpoint = in.endpointUrl() != null && !in.endpointUrl().isBlank();
    if (hasFunction == hasEndpoint) {
      problems.accept(
          "function",
          "a "
              + in.type()
              + " authorizer names exactly one of function (a registered function's name or"
              + " a Lambda ARN) and endpointUrl");
    } else if (hasFunction) {
      function = functionReference(in.function());
      if (function == null) {
        problems.accept(
            "function", FunctionNames.NAME_RULE + ", or be a Lambda function ARN naming one");
      }
    } else if (!isHttpUrl(in.endpointUrl(), false)) {
      problems.accept(
          "endpointUrl",
          "must be an absolute http or https URL with a host and no user info or fragment, at"
              + " most "
              + MAX_URL_LENGTH
              + " characters");
    }
    int ttl =
        in.resultTtlSeconds() == null
            ? AuthorizerConfig.DEFAULT_RESULT_TTL_SECONDS
            : in.resultTtlSeconds();
    if (ttl < 0 || ttl > AuthorizerConfig.MAX_RESULT_TTL_SECONDS) {
      problems.accept(
          "resultTtlSeconds",
          "must be between 0 and "
              + AuthorizerConfig.MAX_RESULT_TTL_SECONDS
              + " (0 caches nothing)");
    }
    int timeout =
        in.timeoutMillis() == null ? AuthorizerConfig.DEFAULT_TIMEOUT_MILLIS : in.timeoutMillis();
    if (timeout < MIN_TIMEOUT_MS || timeout > MAX_TIMEOUT_MS) {
      problems.accept(
          "timeoutMillis", "must be between " + MIN_TIMEOUT_MS + " and " + MAX_TIMEOUT_MS);
    }
    List<String> sources = sources(in, token ? DEFAULT_TOKEN_SOURCE : null, problems);
    Pattern syntax = token ? TOKEN_SOURCE : REQUEST_SOURCE;
    if (token && sources.size() != 1) {
      problems.accept("identitySources", "a token authorizer reads exactly one header");
    } else if (!token && ttl > 0 && sources.isEmpty()) {
      problems.accept(
          "identitySources",
          "a request authorizer whose results are cached needs at least one identity source (the"
              + " cache is keyed by them); name one or set resultTtlSeconds to 0");
    } else if (sources.size() > MAX_IDENTITY_SOURCES) {
      problems.accept("identitySources", "may name at most " + MAX_IDENTITY_SOURCES);
    }
    for (int i = 0; i < sources.size(); i++) {
      String source = sources.get(i);
      if (source == null || !syntax.matcher(source).matches()) {
        problems.accept(
            "identitySources/" + i,
            token
                ? "must be method.request.header.{name}, such as " + DEFAULT_TOKEN_SOURCE
                : "must be method.request.header.{name}, method.request.querystring.{name},"
                    + " stageVariables.{name} or context.{name} (or their $request.header.{name},"
                    + " $request.querystring.{name}, $stageVariables.{name}, $context.{name}"
                    + " forms)");
      } else if (!token && contextProblem(source) != null) {
        problems.accept("identitySources/" + i, contextProblem(source));
      }
    }
    String expression = in.identityValidationExpression();
    if (expression != null && !token) {
      problems.accept("identityValidationExpression", "is used only by a token authorizer");
    } else if (expression != null) {
      if (expression.isEmpty() || expression.length() > MAX_EXPRESSION_LENGTH) {
        problems.accept(
            "identityValidationExpression",
            "must be 1 to " + MAX_EXPRESSION_LENGTH + " characters");
      } else {
        try {
          ValidationPattern.compile(expression);
        } catch (IllegalArgumentException e) {
          problems.accept("identityValidationExpression", "does not compile: " + e.getMessage());
        }
      }
    }
    String version =
        in.payloadFormatVersion() == null ? FunctionTarget.PAYLOAD_1_0 : in.payloadFormatVersion();
    if (!FunctionTarget.PAYLOAD_1_0.equals(version)
        && !FunctionTarget.PAYLOAD_2_0.equals(version)) {
      problems.accept("payloadFormatVersion", "must be 1.0 or 2.0");
    } else if (token && !FunctionTarget.PAYLOAD_1_0.equals(version)) {
      problems.accept("payloadFormatVersion", "a token authorizer is a REST API's: 1.0");
    }
    boolean simple = Boolean.TRUE.equals(in.simpleResponses());
    if (simple && !(!token && FunctionTarget.PAYLOAD_2_0.equals(version))) {
      problems.accept(
          "simpleResponses", "applies only to a request authorizer with payload format 2.0");
    }
    return new AuthorizerSpec(
        in.type(),
        sources,
        null,
        function,
        hasFunction ? null : in.endpointUrl(),
        timeout,
        ttl,
        expression,
        version,
        simple);
  }

  /**
   * The function reference a {@code function} field names: itself when it is one, the reference
   * inside a Lambda function ARN or API Gateway invocation URI, or null.
   */
  public static String functionReference(String function) {
    if (function == null) {
      return null;
    }
    if (function.startsWith("arn:")) {
      return FunctionNames.fromUri(function);
    }
    return FunctionNames.isReference(function) ? function : null;
  }

  private static List<String> sources(
      AuthorizerSpec in, String fallback, BiConsumer<String, String> problems) {
    if (in.identitySources() == null || in.identitySources().isEmpty()) {
      return fallback == null ? List.of() : List.of(fallback);
    }
    List<String> sources = new ArrayList<>();
    for (String source : in.identitySources()) {
      sources.add(source == null ? null : source.trim());
    }
    return sources;
  }

  private static void forbid(
      BiConsumer<String, String> problems, String field, Object value, String why) {
    if (value != null) {
      problems.accept(field, why);
    }
  }

  /**
   * @param bare an issuer: nothing after the path
   */
  static boolean isHttpUrl(String url, boolean bare) {
    if (url == null || url.length() > MAX_URL_LENGTH) {
      return false;
    }
    try {
      URI parsed = new URI(url);
      return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
          && parsed.getHost() != null
          && parsed.getRawUserInfo() == null
          && parsed.getRawFragment() == null
          && (!bare || parsed.getRawQuery() == null);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Why a {@code context.X} identity source is refused, or null: the gateway reads only the
   * variables known before the authorizer runs ({@link ContextVariables#IDENTITY_SOURCE_NAMES}), so
   * any other would save, deploy and then break the stage's deployment at the gateway.
   */
  private static String contextProblem(String source) {
    String name =
        source.startsWith("$context.")
            ? source.substring("$context.".length())
            : source.startsWith("context.") ? source.substring("context.".length()) : null;
    if (name == null || ContextVariables.isIdentitySource(name)) {
      return null;
    }
    return "names $context."
        + name
        + ", which the gateway does not know before the authorizer runs; an identity source may"
        + " name $context."
        + String.join(", $context.", ContextVariables.IDENTITY_SOURCE_NAMES);
  }
}
