package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.gateway.integration.BodyTap;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one request's execution log says about its backend call and bodies, gathered as the request
 * runs: the endpoint request and the head of its answer (through the integration's {@link BodyTap},
 * which it passes on to the cache's when there is one) and, with data tracing, the first {@link
 * StageExecutionLogging#MAX_BODY_BYTES} of each body. Secrets are masked as they are recorded.
 * Exists only for a request whose stage logs; confined to the request's event loop.
 */
final class ExecutionTrace implements BodyTap {
  static final String MASK = "****";
  private static final int MAX_BODY = StageExecutionLogging.MAX_BODY_BYTES;

  final StageExecutionLogging settings;
  private final Exchange exchange;
  private BodyTap delegate = BodyTap.NONE;

  String endpointRequest;
  String endpointRequestHeaders;
  int endpointStatus;
  String endpointResponseHeaders;

  private List<String> secrets;
  private BodyCopy requestBody;
  private BodyCopy responseBody;

  ExecutionTrace(StageExecutionLogging settings, Exchange exchange) {
    this.settings = settings;
    this.exchange = exchange;
    if (settings.dataTraceEnabled()) {
      requestBody = new BodyCopy();
      responseBody = new BodyCopy();
    }
  }

  /** This trace as the integration's tap, passing what it sees on to {@code capture} too. */
  BodyTap tap(BodyTap capture) {
    delegate = capture == null ? BodyTap.NONE : capture;
    return this;
  }

  /** Adds a chunk of the request body to the copy, when data tracing; null-safe for no copy. */
  void requestChunk(Buffer chunk) {
    if (requestBody != null) {
      requestBody.add(chunk);
    }
  }

  boolean dataTrace() {
    return requestBody != null;
  }

  String requestBody() {
    return requestBody == null ? null : scrub(requestBody.text());
  }

  String responseBody() {
    return responseBody == null ? null : scrub(responseBody.text());
  }

  @Override
  public boolean observesEndpoint() {
    return true;
  }

  @Override
  public void endpointRequest(String method, String uri, MultiMap headers) {
    endpointRequest = method + " " + scrub(Redaction.uri(uri));
    endpointRequestHeaders = headers(headers);
  }

  @Override
  public void endpointResponse(int status, MultiMap headers) {
    endpointStatus = status;
    endpointResponseHeaders = headers(headers);
  }

  @Override
  public void write(Buffer chunk) {
    if (responseBody != null) {
      responseBody.add(chunk);
    }
    delegate.write(chunk);
  }

  @Override
  public void end() {
    delegate.end();
  }

  /** Headers as API Gateway writes them, {@code {name=value, ...}}, secrets masked. */
  String headers(MultiMap headers) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> header : headers) {
      if (out.length() > 1) {
        out.append(", ");
      }
      String name = header.getKey();
      out.append(name).append('=');
      out.append(Redaction.isSecret(name) ? MASK : scrub(header.getValue()));
    }
    return out.append('}').toString();
  }

  /**
   * Every credential the client presented, masked wherever else it appears (a query parameter of
   * another name, a header, a body the backend echoes, an error message): the key the call was
   * admitted with, and the values of the request's secret-named headers ({@code x-api-key} even
   * when wrong, as it may be a real key mistyped; the token of {@code Authorization}; each cookie).
   */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    if (secrets == null) {
      secrets = presentedSecrets();
    }
    for (String secret : secrets) {
      text = text.replace(secret, MASK);
    }
    return text;
  }

  private List<String> presentedSecrets() {
    List<String> found = new ArrayList<>(4);
    addSecret(found, exchange.presentedKey);
    for (Map.Entry<String, String> header : exchange.request.headers()) {
      if (!Redaction.isSecret(header.getKey())) {
        continue;
      }
      String value = header.getValue();
      addSecret(found, value);
      // "Bearer <token>": the token alone, as a backend may echo it without its scheme.
      addSecret(found, value.substring(value.lastIndexOf(' ') + 1));
      for (String cookie : value.split(";")) {
        addSecret(found, cookie.substring(cookie.indexOf('=') + 1).strip());
      }
    }
    // Longest first, so that a value is masked whole before a part of it is.
    found.sort(Comparator.comparingInt(String::length).reversed());
    return found;
  }

  private static void addSecret(List<String> found, String secret) {
    // A very short value would mask ordinary words; real credentials are long.
    if (secret != null && secret.length() >= 8 && !found.contains(secret)) {
      found.add(secret);
    }
  }

  /** The first bytes of a body and whether there were more. */
  private static final class BodyCopy {
    private final Buffer copy = Buffer.buffer();
    private boolean truncated;

    void add(Buffer chunk) {
      int room = MAX_BODY - copy.length();
      if (chunk.length() <= room) {
        copy.appendBuffer(chunk);
      } else {
        if (room > 0) {
          copy.appendBuffer(chunk, 0, room);
        }
        truncated = true;
      }
    }

    String text() {
      String text = new String(copy.getBytes(), StandardCharsets.UTF_8);
      return truncated ? text + " [TRUNCATED]" : text;
    }
  }

  /** Which names hold secrets, and a URI with their values masked. */
  static final class Redaction {
    private Redaction() {}

    /**
     * Authorization, cookies, API keys and anything named like a credential: masked in every header
     * and query parameter the execution log writes.
     */
    static boolean isSecret(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      return lower.contains("auth")
          || lower.contains("cookie")
          || lower.contains("key")
          || lower.contains("token")
          || lower.contains("secret")
          || lower.contains("password")
          || lower.contains("signature")
          || lower.contains("credential");
    }

    /** The URI with the values of secret-named query parameters masked. */
    static String uri(String uri) {
      int query = uri.indexOf('?');
      if (query < 0) {
        return uri;
      }
      StringBuilder out = new StringBuilder(uri.length()).append(uri, 0, query + 1);
      String[] pairs = uri.substring(query + 1).split("&", -1);
      for (int i = 0; i < pairs.length; i++) {
        if (i > 0) {
          out.append('&');
        }
        String pair = pairs[i];
        int eq = pair.indexOf('=');
        if (eq >= 0 && isSecret(pair.substring(0, eq))) {
          out.append(pair, 0, eq + 1).append(MASK);
        } else {
          out.append(pair);
        }
      }
      return out.toString();
    }
  }
}
