package dev.turnpike.gateway.function;

import dev.turnpike.gateway.forwarding.Forwarding;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.integration.HopByHopHeaders;
import dev.turnpike.gateway.integration.IntegrationCall;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client's request as both proxy event formats describe it, read once from the call: headers
 * and query parameters grouped by name (in the order they came, the first spelling of a name kept),
 * the body as text or, for a binary media type or bytes that are not UTF-8, as base64.
 *
 * <p>Headers are the end-to-end ones the {@code http_proxy} integration would forward, with the
 * gateway's {@code X-Forwarded-For} / {@code -Proto}, as API Gateway adds its own.
 */
final class ProxyRequest {
  final HttpServerRequest request;
  final IntegrationCall call;
  final FunctionRoute route;
  final Map<String, List<String>> headers;
  final Map<String, List<String>> query;
  final String body;
  final boolean base64;
  final long epochMillis;

  ProxyRequest(
      IntegrationCall call,
      FunctionRoute route,
      BinaryMediaTypes binaryTypes,
      Buffer body,
      long epochMillis) {
    this.call = call;
    this.request = call.request();
    this.route = route;
    this.headers = headersOf(call);
    this.query = queryOf(request.query());
    this.epochMillis = epochMillis;
    if (body == null || body.length() == 0) {
      this.body = null;
      this.base64 = false;
    } else {
      String text =
          binaryTypes.matches(request.getHeader("content-type")) ? null : utf8(body.getBytes());
      this.base64 = text == null;
      this.body = text != null ? text : Base64.getEncoder().encodeToString(body.getBytes());
    }
  }

  String header(String name) {
    return request.getHeader(name);
  }

  String sourceIp() {
    return call.clientAddress();
  }

  /**
   * The key the call was admitted with (presented in {@code x-api-key}, or the authorizer's usage
   * identifier), for a route that checked one; null otherwise.
   */
  String apiKey() {
    return call.apiKey();
  }

  String apiKeyId() {
    return call.apiKeyId();
  }

  String domainName() {
    return request.authority() == null ? null : request.authority().host();
  }

  String protocol() {
    return request.version() == HttpVersion.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
  }

  /**
   * The request path within the stage: the route's resource with the path parameters filled in, as
   * the event's {@code path} reads.
   */
  String stagePath() {
    String resource = route.resourcePath();
    if (call.pathParameters().isEmpty() || resource.indexOf('{') < 0) {
      return resource;
    }
    StringBuilder path = new StringBuilder(resource.length() + 16);
    int from = 0;
    while (true) {
      int open = resource.indexOf('{', from);
      int close = open < 0 ? -1 : resource.indexOf('}', open);
      if (close < 0) {
        return path.append(resource, from, resource.length()).toString();
      }
      String name = resource.substring(open + 1, close);
      if (name.endsWith("+")) {
        name = name.substring(0, name.length() - 1);
      }
      String value = call.pathParameters().get(name);
      path.append(resource, from, open).append(value == null ? "" : value);
      from = close + 1;
    }
  }

  private static Map<String, List<String>> headersOf(IntegrationCall call) {
    MultiMap endToEnd = MultiMap.caseInsensitiveMultiMap();
    Forwarding forwarding = call.forwarding();
    HopByHopHeaders.copyEndToEnd(
        call.request().headers(), endToEnd, !forwarding.fromTrustedProxy());
    endToEnd.set("X-Forwarded-For", forwarding.forwardedFor());
    endToEnd.set("X-Forwarded-Proto", forwarding.proto());
    return group(endToEnd);
  }

  /** Names as sent (query names are case-sensitive), values decoded as API Gateway does. */
  private static Map<String, List<String>> queryOf(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Map.of();
    }
    return new QueryStringDecoder(raw, StandardCharsets.UTF_8, false).parameters();
  }

  private static Map<String, List<String>> group(MultiMap values) {
    if (values.isEmpty()) {
      return Map.of();
    }
    Map<String, String> spelling = new LinkedHashMap<>();
    Map<String, List<String>> grouped = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          String key = name.toLowerCase(Locale.ROOT);
          String first = spelling.computeIfAbsent(key, ignored -> name);
          grouped.computeIfAbsent(first, ignored -> new ArrayList<>(1)).add(value);
        });
    return grouped;
  }

  /** The body as text, or null when it is not valid UTF-8 (then it travels as base64). */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
