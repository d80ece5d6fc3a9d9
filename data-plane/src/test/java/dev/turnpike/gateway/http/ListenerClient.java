package dev.turnpike.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * How a test calls the rig's listener without Vert.x: the JDK's HTTP client for ordinary requests,
 * and a socket of its own for requests no well-behaved client library sends.
 */
final class ListenerClient {
  private final java.net.http.HttpClient jdkClient =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build();
  private final int port;

  ListenerClient(int port) {
    this.port = port;
  }

  /** Plain JDK client for API traffic: independent of the Vert.x stack under test. */
  GatewayRig.Response call(HttpMethod method, String uri, Map<String, String> headers, Buffer body)
      throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + uri))
            .timeout(java.time.Duration.ofSeconds(30))
            .method(
                method.name(),
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
    headers.forEach(request::header);
    var response =
        jdkClient.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
    response.headers().map().forEach(responseHeaders::add);
    return new GatewayRig.Response(response.statusCode(), responseHeaders, response.body());
  }

  /**
   * Sends raw request bytes on a socket of its own and returns the status line's code: for requests
   * no well-behaved client library will send (malformed escapes, oversized heads).
   */
  int rawStatus(String requestHead) throws java.io.IOException {
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(requestHead.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
      String statusLine = reader.readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  /**
   * Sends raw request bytes (which should ask for {@code Connection: close}) and reads the whole
   * answer: for paths a client library would normalize or refuse to send.
   */
  GatewayRig.Response raw(String request) throws java.io.IOException {
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int headEnd = answer.indexOf("\r\n\r\n");
      String[] head = answer.substring(0, headEnd).split("\r\n");
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.add(head[i].substring(0, colon).trim(), head[i].substring(colon + 1).trim());
      }
      String body = answer.substring(headEnd + 4);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = dechunk(body);
      }
      return new GatewayRig.Response(Integer.parseInt(head[0].split(" ")[1]), headers, body);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  /** A GET of {@code target} exactly as written, on a connection of its own. */
  GatewayRig.Response rawGet(String target, Map<String, String> headers)
      throws java.io.IOException {
    StringBuilder request =
        new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    return raw(request.append("Connection: close\r\n\r\n").toString());
  }

  GatewayRig.Response get(String uri, Map<String, String> headers) throws Exception {
    return call(HttpMethod.GET, uri, headers, null);
  }
}
