package dev.turnpike.gateway.authorizer.lambda;

import dev.turnpike.gateway.authorizer.AuthorizationRequest;
import dev.turnpike.gateway.domain.ClientCertJson;
import dev.turnpike.gateway.function.EventJson;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the event API Gateway sends a Lambda authorizer: TOKEN ({@code type}, {@code
 * authorizationToken}, {@code methodArn}), REQUEST with payload 1.0 (the REST API's request
 * authorizer event) or 2.0 (the HTTP API's). Field names and shapes are AWS's, checked in tests
 * against {@code aws-lambda-java-events}' {@code APIGatewayCustomAuthorizerEvent} and {@code
 * APIGatewayV2CustomAuthorizerEvent}.
 *
 * <p>The headers are the client's end-to-end ones; what the client says in {@code X-Forwarded-*}
 * about itself is replaced by the address the gateway determined, since an authorizer may decide on
 * it.
 */
final class AuthorizerEvents {
  private AuthorizerEvents() {}

  static Buffer token(String token, String methodArn) {
    return write(
        json -> {
          json.writeStringField("type", "TOKEN");
          json.writeStringField("authorizationToken", token);
          json.writeStringField("methodArn", methodArn);
        });
  }

  /** The REST API's REQUEST event; absent maps are written as null, as API Gateway writes them. */
  static Buffer restRequest(AuthorizationRequest call) {
    MethodArn arn = MethodArn.parse(call.methodArn());
    Map<String, List<String>> headers = headers(call);
    Map<String, List<String>> query = query(call.request());
    return write(
        json -> {
          json.writeStringField("type", "REQUEST");
          json.writeStringField("methodArn", call.methodArn());
          json.writeStringField("resource", call.resourcePath());
          json.writeStringField("path", arn.path());
          json.writeStringField("httpMethod", call.httpMethod());
          EventJson.lastValues(json, "headers", headers);
          EventJson.allValues(json, "multiValueHeaders", headers);
          EventJson.lastValues(json, "queryStringParameters", query);
          EventJson.allValues(json, "multiValueQueryStringParameters", query);
          EventJson.map(json, "pathParameters", call.pathParameters());
          EventJson.map(json, "stageVariables", call.stageVariables());
          json.writeObjectFieldStart("requestContext");
          json.writeStringField("path", call.request().path());
          json.writeStringField("accountId", arn.account());
          json.writeStringField("stage", call.stage());
          json.writeStringField("requestId", call.requestId());
          json.writeStringField("extendedRequestId", call.requestId());
          json.writeObjectFieldStart("identity");
          json.writeStringField("sourceIp", call.sourceIp());
          json.writeStringField("userAgent", call.request().getHeader("user-agent"));
          ClientCertJson.write(json, call.clientCert());
          json.writeEndObject();
          json.writeStringField("resourcePath", call.resourcePath());
          json.writeStringField("httpMethod", call.httpMethod());
          json.writeStringField("apiId", call.apiId());
          json.writeStringField("domainName", domainName(call.request()));
          json.writeStringField("protocol", protocol(call.request()));
          json.writeStringField("requestTime", EventJson.requestTime(call.epochMillis()));
          json.writeNumberField("requestTimeEpoch", call.epochMillis());
          json.writeEndObject();
        });
  }

  /**
   * The HTTP API's REQUEST event: header names in lower case, repeated headers and query parameters
   * joined by commas, cookies apart, absent fields left out.
   */
  static Buffer httpRequest(AuthorizationRequest call, List<String> identityValues) {
    MethodArn arn = MethodArn.parse(call.methodArn());
    Map<String, List<String>> headers = headers(call);
    Map<String, List<String>> query = query(call.request());
    String routeKey = call.httpMethod() + " " + call.resourcePath();
    HttpServerRequest request = call.request();
    return write(
        json -> {
          json.writeStringField("version", "2.0");
          json.writeStringField("type", "REQUEST");
          json.writeStringField("routeArn", call.methodArn());
          json.writeArrayFieldStart("identitySource");
          for (String value : identityValues) {
            json.writeString(value);
          }
          json.writeEndArray();
          json.writeStringField("routeKey", routeKey);
          json.writeStringField("rawPath", request.path());
          json.writeStringField("rawQueryString", request.query() == null ? "" : request.query());
          List<String> cookies = EventJson.cookies(headers);
          if (!cookies.isEmpty()) {
            json.writeArrayFieldStart("cookies");
            for (String cookie : cookies) {
              json.writeString(cookie);
            }
            json.writeEndArray();
          }
          json.writeObjectFieldStart("headers");
          for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("cookie")) {
              json.writeStringField(name, String.join(",", header.getValue()));
            }
          }
          json.writeEndObject();
          if (!query.isEmpty()) {
            json.writeObjectFieldStart("queryStringParameters");
            for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
              json.writeStringField(parameter.getKey(), String.join(",", parameter.getValue()));
            }
            json.writeEndObject();
          }
          json.writeObjectFieldStart("requestContext");
          json.writeStringField("accountId", arn.account());
          json.writeStringField("apiId", call.apiId());
          String domain = domainName(request);
          json.writeStringField("domainName", domain);
          json.writeStringField(
              "domainPrefix", domain == null ? null : domain.substring(0, prefixEnd(domain)));
          json.writeObjectFieldStart("http");
          json.writeStringField("method", call.httpMethod());
          json.writeStringField("path", request.path());
          json.writeStringField("protocol", protocol(request));
          json.writeStringField("sourceIp", call.sourceIp());
          json.writeStringField("userAgent", request.getHeader("user-agent"));
          json.writeEndObject();
          if (call.clientCert() != null) {
            json.writeObjectFieldStart("authentication");
            ClientCertJson.write(json, call.clientCert());
            json.writeEndObject();
          }
          json.writeStringField("requestId", call.requestId());
          json.writeStringField("routeKey", routeKey);
          json.writeStringField("stage", call.stage());
          json.writeStringField("time", EventJson.requestTime(call.epochMillis()));
          json.writeNumberField("timeEpoch", call.epochMillis());
          json.writeEndObject();
          if (!call.pathParameters().isEmpty()) {
            EventJson.map(json, "pathParameters", call.pathParameters());
          }
          if (!call.stageVariables().isEmpty()) {
            EventJson.map(json, "stageVariables", call.stageVariables());
          }
        });
  }

  private static Buffer write(EventJson.Fields fields) {
    return EventJson.write(1024, fields);
  }

  /** End-to-end headers grouped by name (first spelling kept), the caller's address stated. */
  private static Map<String, List<String>> headers(AuthorizationRequest call) {
    MultiMap endToEnd = MultiMap.caseInsensitiveMultiMap();
    HopByHopHeaders.copyEndToEnd(call.request().headers(), endToEnd, true);
    if (call.sourceIp() != null) {
      endToEnd.set("X-Forwarded-For", call.sourceIp());
    }
    Map<String, String> spelling = new LinkedHashMap<>();
    Map<String, List<String>> grouped = new LinkedHashMap<>();
    endToEnd.forEach(
        (name, value) -> {
          String first = spelling.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> name);
          grouped.computeIfAbsent(first, key -> new ArrayList<>(1)).add(value);
        });
    return grouped;
  }

  private static Map<String, List<String>> query(HttpServerRequest request) {
    String raw = request.query();
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    return new QueryStringDecoder(raw, StandardCharsets.UTF_8, false).parameters();
  }

  private static String domainName(HttpServerRequest request) {
    return request.authority() == null ? null : request.authority().host();
  }

  private static int prefixEnd(String domain) {
    int dot = domain.indexOf('.');
    return dot < 0 ? domain.length() : dot;
  }

  private static String protocol(HttpServerRequest request) {
    return request.version() == HttpVersion.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
  }
}
