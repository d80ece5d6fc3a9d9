package dev.turnpike.gateway.function;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.gateway.authorizer.ClaimText;
import dev.turnpike.gateway.authorizer.Scopes;
import dev.turnpike.gateway.domain.ClientCertJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the event API Gateway sends a Lambda proxy integration, streamed straight to JSON bytes:
 * payload format 1.0 (the REST API proxy event) or 2.0 (the HTTP API event). Field names and shapes
 * are AWS's, checked in tests against {@code aws-lambda-java-events}' classes.
 */
final class ProxyEvents {
  private ProxyEvents() {}

  /** The REST API proxy event; absent maps are written as null, as API Gateway writes them. */
  static Buffer restApi(ProxyRequest in) {
    return write(
        in,
        json -> {
          json.writeStringField("resource", in.route.resourcePath());
          json.writeStringField("path", in.stagePath());
          json.writeStringField("httpMethod", in.request.method().name());
          EventJson.lastValues(json, "headers", in.headers);
          EventJson.allValues(json, "multiValueHeaders", in.headers);
          EventJson.lastValues(json, "queryStringParameters", in.query);
          EventJson.allValues(json, "multiValueQueryStringParameters", in.query);
          EventJson.map(json, "pathParameters", in.call.pathParameters());
          EventJson.map(json, "stageVariables", in.call.stageVariables());
          json.writeObjectFieldStart("requestContext");
          json.writeStringField("resourcePath", in.route.resourcePath());
          json.writeStringField("httpMethod", in.request.method().name());
          json.writeStringField("path", in.request.path());
          json.writeStringField("protocol", in.protocol());
          json.writeStringField("stage", in.route.stage());
          json.writeStringField("requestId", in.call.requestId());
          json.writeStringField("extendedRequestId", in.call.requestId());
          json.writeStringField("apiId", in.route.apiId());
          json.writeStringField("domainName", in.domainName());
          json.writeStringField("requestTime", EventJson.requestTime(in.epochMillis));
          json.writeNumberField("requestTimeEpoch", in.epochMillis);
          json.writeObjectFieldStart("identity");
          json.writeStringField("sourceIp", in.sourceIp());
          json.writeStringField("userAgent", in.header("user-agent"));
          json.writeStringField("apiKey", in.apiKey());
          json.writeStringField("apiKeyId", in.apiKeyId());
          ClientCertJson.write(json, in.call.clientCert());
          json.writeEndObject();
          restAuthorizer(json, in.call.authorization());
          json.writeEndObject();
          json.writeStringField("body", in.body);
          json.writeBooleanField("isBase64Encoded", in.base64);
        });
  }

  /**
   * The HTTP API event: repeated headers and query parameters joined by commas, header names in
   * lower case, cookies apart from the headers, absent fields left out.
   */
  static Buffer httpApi(ProxyRequest in) {
    return write(
        in,
        json -> {
          json.writeStringField("version", "2.0");
          json.writeStringField("routeKey", in.route.routeKey());
          json.writeStringField("rawPath", in.request.path());
          json.writeStringField(
              "rawQueryString", in.request.query() == null ? "" : in.request.query());
          List<String> cookies = EventJson.cookies(in.headers);
          if (!cookies.isEmpty()) {
            json.writeArrayFieldStart("cookies");
            for (String cookie : cookies) {
              json.writeString(cookie);
            }
            json.writeEndArray();
          }
          json.writeObjectFieldStart("headers");
          for (Map.Entry<String, List<String>> header : in.headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("cookie")) {
              json.writeStringField(name, String.join(",", header.getValue()));
            }
          }
          json.writeEndObject();
          if (!in.query.isEmpty()) {
            json.writeObjectFieldStart("queryStringParameters");
            for (Map.Entry<String, List<String>> parameter : in.query.entrySet()) {
              json.writeStringField(parameter.getKey(), String.join(",", parameter.getValue()));
            }
            json.writeEndObject();
          }
          if (!in.call.pathParameters().isEmpty()) {
            EventJson.map(json, "pathParameters", in.call.pathParameters());
          }
          if (!in.call.stageVariables().isEmpty()) {
            EventJson.map(json, "stageVariables", in.call.stageVariables());
          }
          json.writeObjectFieldStart("requestContext");
          json.writeStringField("apiId", in.route.apiId());
          json.writeStringField("domainName", in.domainName());
          json.writeObjectFieldStart("http");
          json.writeStringField("method", in.request.method().name());
          json.writeStringField("path", in.request.path());
          json.writeStringField("protocol", in.protocol());
          json.writeStringField("sourceIp", in.sourceIp());
          json.writeStringField("userAgent", in.header("user-agent"));
          json.writeEndObject();
          if (in.call.clientCert() != null) {
            json.writeObjectFieldStart("authentication");
            ClientCertJson.write(json, in.call.clientCert());
            json.writeEndObject();
          }
          json.writeStringField("requestId", in.call.requestId());
          json.writeStringField("routeKey", in.route.routeKey());
          json.writeStringField("stage", in.route.stage());
          json.writeStringField("time", EventJson.requestTime(in.epochMillis));
          json.writeNumberField("timeEpoch", in.epochMillis);
          httpAuthorizer(json, in.call.authorization());
          json.writeEndObject();
          if (in.body != null) {
            json.writeStringField("body", in.body);
          }
          json.writeBooleanField("isBase64Encoded", in.base64);
        });
  }

  /**
   * The REST event's {@code requestContext.authorizer}: a JWT's claims (as strings, as API Gateway
   * passes them) with its scopes and principal, or a Lambda authorizer's context values beside its
   * {@code principalId}. Absent for a route without an authorizer.
   */
  static void restAuthorizer(JsonGenerator json, Authorization authorization) throws IOException {
    if (authorization == null) {
      return;
    }
    json.writeObjectFieldStart("authorizer");
    if (isJwt(authorization)) {
      claims(json, authorization);
      scopes(json, authorization);
    } else {
      for (Map.Entry<String, Object> entry : authorization.context().entrySet()) {
        if (!entry.getKey().equals("principalId")) {
          json.writeFieldName(entry.getKey());
          contextValue(json, entry.getValue());
        }
      }
    }
    json.writeStringField("principalId", authorization.principalId());
    json.writeEndObject();
  }

  /**
   * The HTTP API event's {@code requestContext.authorizer}: {@code jwt.claims} and {@code
   * jwt.scopes} for a JWT authorizer, {@code lambda} (the context) for a Lambda authorizer.
   */
  private static void httpAuthorizer(JsonGenerator json, Authorization authorization)
      throws IOException {
    if (authorization == null) {
      return;
    }
    json.writeObjectFieldStart("authorizer");
    if (isJwt(authorization)) {
      json.writeObjectFieldStart("jwt");
      claims(json, authorization);
      scopes(json, authorization);
      json.writeEndObject();
    } else {
      json.writeObjectFieldStart("lambda");
      for (Map.Entry<String, Object> entry : authorization.context().entrySet()) {
        json.writeFieldName(entry.getKey());
        contextValue(json, entry.getValue());
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  /** A JWT always has claims (at least iss and exp); a Lambda authorizer's answer has none. */
  private static boolean isJwt(Authorization authorization) {
    return !authorization.claims().isEmpty();
  }

  private static void claims(JsonGenerator json, Authorization authorization) throws IOException {
    json.writeObjectFieldStart("claims");
    for (Map.Entry<String, Object> claim : authorization.claims().entrySet()) {
      json.writeStringField(claim.getKey(), ClaimText.of(claim.getValue()));
    }
    json.writeEndObject();
  }

  private static void scopes(JsonGenerator json, Authorization authorization) throws IOException {
    List<String> scopes = Scopes.granted(authorization.claims());
    if (scopes.isEmpty()) {
      json.writeNullField("scopes");
      return;
    }
    json.writeArrayFieldStart("scopes");
    for (String scope : scopes) {
      json.writeString(scope);
    }
    json.writeEndArray();
  }

  /** A Lambda authorizer's context value: string, number and boolean kept as they are. */
  private static void contextValue(JsonGenerator json, Object value) throws IOException {
    switch (value) {
      case null -> json.writeNull();
      case String text -> json.writeString(text);
      case Boolean bool -> json.writeBoolean(bool);
      case Number number -> json.writeNumber(number.toString());
      default -> json.writeString(ClaimText.of(value));
    }
  }

  private static Buffer write(ProxyRequest in, EventJson.Fields fields) {
    int bodyLength = in.body == null ? 0 : in.body.length();
    return EventJson.write(1024 + bodyLength + bodyLength / 8, fields);
  }
}
