package dev.turnpike.gateway.integration;

import dev.turnpike.contracts.config.ContextVariables;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.ClaimText;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code $context} variables of one call, the one place their values come from: parameter
 * mappings ({@code context.stage}) read single values through {@link #value}, templates the whole
 * map {@link #variables} builds from the same function, so both always agree. Every name in {@link
 * ContextVariables} has a filler here (a test walks the list).
 */
public final class CallContext {
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private static final String CLAIMS = "authorizer.claims.";
  private static final String AUTHORIZER = "authorizer.";
  private static final String CLIENT_CERT = "identity.clientCert.";

  private CallContext() {}

  /** The last second formatted: the text changes once a second, the calls thousands of times. */
  private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

  private record FormattedSecond(long epochSecond, String text) {}

  /** {@code requestTime} as API Gateway writes it, e.g. {@code 09/Apr/2015:12:34:56 +0000}. */
  public static String requestTime(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    FormattedSecond last = lastSecond;
    if (last.epochSecond() == epochSecond) {
      return last.text();
    }
    String text = REQUEST_TIME.format(Instant.ofEpochMilli(epochMillis));
    lastSecond = new FormattedSecond(epochSecond, text);
    return text;
  }

  /**
   * One variable of the call.
   *
   * @param name as {@link ContextVariables} spells it, without {@code context.}
   * @return null when the call does not carry it (no authorizer, no key) or the name is not one of
   *     {@link ContextVariables}'
   */
  public static String value(IntegrationCall call, String name) {
    HttpServerRequest request = call.request();
    CallSite site = call.site();
    return switch (name) {
      case "requestId", "extendedRequestId" -> call.requestId();
      case "apiId" -> site.apiId();
      case "stage" -> site.stage();
      case "resourcePath" -> site.resourcePath();
      case "resourceId" -> site.resourceId();
      case "httpMethod" -> request.method().name();
      case "path" -> request.path();
      case "protocol" -> request.version() == HttpVersion.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
      case "requestTime" -> requestTime(call.requestTimeEpoch());
      case "requestTimeEpoch" -> Long.toString(call.requestTimeEpoch());
      case "domainName" -> domainName(request);
      case "domainPrefix" -> domainPrefix(domainName(request));
      case "isCanaryRequest" -> site.canary() ? "true" : "false";
      case "identity.sourceIp" -> call.clientAddress();
      case "identity.userAgent" -> request.getHeader("user-agent");
      case "identity.apiKey" -> call.apiKey();
      case "identity.apiKeyId" -> call.apiKeyId();
      case "identity.clientCert.clientCertPem",
          "identity.clientCert.subjectDN",
          "identity.clientCert.issuerDN",
          "identity.clientCert.serialNumber",
          "identity.clientCert.validity.notBefore",
          "identity.clientCert.validity.notAfter" ->
          call.clientCert() == null
              ? null
              : call.clientCert().field(name.substring(CLIENT_CERT.length()));
      case "authorizer.principalId" ->
          call.authorization() == null ? null : call.authorization().principalId();
      default -> authorizerValue(call.authorization(), name);
    };
  }

  /**
   * Every variable the call carries, by name: the fixed ones, then each claim of its JWT as {@code
   * authorizer.claims.X} and each value of its Lambda authorizer's context as {@code authorizer.X}.
   */
  public static Map<String, String> variables(IntegrationCall call) {
    Map<String, String> variables = new HashMap<>(32);
    for (String name : ContextVariables.NAMES) {
      String value = value(call, name);
      if (value != null) {
        variables.put(name, value);
      }
    }
    Authorization authorization = call.authorization();
    if (authorization != null) {
      authorization.claims().forEach((key, ignored) -> putIfPresent(variables, call, CLAIMS + key));
      authorization
          .context()
          .forEach(
              (key, ignored) -> {
                if (!key.equals("principalId")) {
                  putIfPresent(variables, call, AUTHORIZER + key);
                }
              });
    }
    return variables;
  }

  private static void putIfPresent(
      Map<String, String> variables, IntegrationCall call, String name) {
    String value = value(call, name);
    if (value != null) {
      variables.put(name, value);
    }
  }

  private static String authorizerValue(Authorization authorization, String name) {
    if (authorization == null || !ContextVariables.isFilled(name)) {
      return null;
    }
    Object raw;
    if (name.startsWith(CLAIMS) && name.length() > CLAIMS.length()) {
      raw = authorization.claims().get(name.substring(CLAIMS.length()));
    } else if (name.startsWith(AUTHORIZER)) {
      raw = authorization.context().get(name.substring(AUTHORIZER.length()));
    } else {
      return null;
    }
    String value = ClaimText.of(raw);
    // A value with line breaks must not become a header that splits the backend request.
    return value == null || hasControlCharacters(value) ? null : value;
  }

  private static String domainName(HttpServerRequest request) {
    return request.authority() == null ? null : request.authority().host();
  }

  /** The first label of the domain name, as API Gateway's {@code domainPrefix}. */
  private static String domainPrefix(String domainName) {
    if (domainName == null) {
      return null;
    }
    int dot = domainName.indexOf('.');
    return dot < 0 ? domainName : domainName.substring(0, dot);
  }

  private static boolean hasControlCharacters(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
