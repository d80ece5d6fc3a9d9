package dev.turnpike.gateway.node;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile HTTP/1.1 requests, generated from a seed: malformed request lines, odd headers, broken
 * chunked bodies, Content-Length / Transfer-Encoding conflicts with a request hidden in the body,
 * and odd percent-encodings. Every request the gateway forwards goes to a backend path below {@code
 * /f/}, so a backend that sees a path starting {@code /acme/} has parsed client bytes as a request
 * of its own: a smuggled one.
 */
final class FuzzCases {
  static final String PREFIX = "/acme/pets/prod";
  static final String SMUGGLED = "GET " + PREFIX + "/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "get", "G ET", "FOO");

  /**
   * One request.
   *
   * @param mayStall whether the request may leave the gateway waiting for bytes that never come (a
   *     body shorter than announced), so its reader gives up early instead of waiting for an answer
   */
  record Case(byte[] bytes, boolean mayStall) {}

  private final Random random;
  private int next;
  private boolean stalls;

  FuzzCases(long seed) {
    this.random = new Random(seed);
  }

  /** The next case. */
  Case next() {
    int id = next++;
    String path = PREFIX + "/f/" + id;
    stalls = false;
    byte[] bytes =
        switch (random.nextInt(6)) {
          case 0 -> requestLine(path);
          case 1 -> headers(path);
          case 2 -> chunked(path);
          case 3 -> framingConflict(path);
          case 4 -> encodings(path);
          default -> valid(path);
        };
    return new Case(bytes, stalls);
  }

  private String stalling(String text) {
    stalls = true;
    return text;
  }

  private byte[] requestLine(String path) {
    String line =
        switch (random.nextInt(10)) {
          case 0 -> stalling("GET " + path);
          case 1 -> "GET  " + path + "  HTTP/1.1";
          case 2 -> pick(METHODS) + " " + path + " HTTP/1.1";
          case 3 -> "GET " + path + " HTTP/9.9";
          case 4 -> "GET http://evil.example" + path + " HTTP/1.1";
          case 5 -> "OPTIONS * HTTP/1.1";
          case 6 -> "GET " + path + "?" + "q".repeat(random.nextInt(12_000)) + " HTTP/1.1";
          case 7 -> "X".repeat(random.nextInt(300)) + " " + path + " HTTP/1.1";
          case 8 -> "\r\nGET " + path + " HTTP/1.1";
          default -> new String(randomBytes(random.nextInt(60)), StandardCharsets.ISO_8859_1);
        };
    return bytes(line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  private byte[] headers(String path) {
    String header =
        switch (random.nextInt(10)) {
          case 0 -> "X-Big: " + "b".repeat(random.nextInt(40_000)) + "\r\n";
          case 1 -> "X-Many: 1\r\n".repeat(random.nextInt(2_000));
          case 2 -> "No-Colon-Here\r\n";
          case 3 -> "X-Space : before-colon\r\n";
          case 4 -> "X-Folded: first\r\n  continued\r\n";
          case 5 -> "X-Nul: a\u0000b\r\n";
          case 6 -> "X-Bytes: " + new String(randomBytes(40), StandardCharsets.ISO_8859_1) + "\r\n";
          case 7 -> "Host: second.example\r\n";
          case 8 -> ": empty-name\r\n";
          default -> stalling("X-Caf\u00e9: na\u00efve\r\nExpect: 100-continue\r\n");
        };
    return bytes(
        pick(METHODS.subList(0, 7))
            + " "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\n"
            + header
            + "Connection: close\r\n\r\n");
  }

  private byte[] chunked(String path) {
    String body =
        switch (random.nextInt(8)) {
          case 0 -> "zz\r\nhello\r\n0\r\n\r\n";
          case 1 -> "-5\r\nhello\r\n0\r\n\r\n";
          case 2 -> "ffffffffffffffff\r\nhello\r\n0\r\n\r\n";
          case 3 -> "5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n";
          case 4 -> stalling("5\r\nhello\r\n");
          case 5 -> stalling("50\r\nhello\r\n0\r\n\r\n");
          case 6 -> "5\r\nhello0\r\n\r\n";
          default -> "5\r\nhello\r\n0\r\n\r\n" + SMUGGLED;
        };
    return bytes(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n"
            + body);
  }

  private byte[] framingConflict(String path) {
    String smuggle = SMUGGLED;
    String framing =
        switch (random.nextInt(10)) {
          case 0 -> "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n";
          case 1 -> "Transfer-Encoding: chunked\r\nContent-Length: " + smuggle.length() + "\r\n";
          case 2 -> stalling("Transfer-Encoding: chunked, identity\r\nContent-Length: 3\r\n");
          case 3 -> "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n";
          case 4 -> stalling("Transfer-Encoding:  chunked\r\nTransfer-Encoding: identity\r\n");
          case 5 -> "Content-Length: 5\r\nContent-Length: 7\r\n";
          case 6 -> stalling("Content-Length: +5\r\n");
          case 7 -> "Content-Length: 5 5\r\n";
          case 8 -> "Content-Length: 99999999999999999999\r\n";
          default -> "Content-Length: 0\r\n";
        };
    return bytes(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\n"
            + framing
            + "Connection: close\r\n\r\n0\r\n\r\n"
            + smuggle);
  }

  private byte[] encodings(String path) {
    String tail =
        switch (random.nextInt(10)) {
          case 0 -> "/" + "%41".repeat(random.nextInt(2_500));
          case 1 -> "/%zz/%/%4";
          case 2 -> "/%c0%ae%c0%ae/x";
          case 3 -> "/a%00b";
          case 4 -> "/%2e%2E/%2e/" + ".%2e";
          case 5 -> "/%25" + "25".repeat(random.nextInt(500));
          case 6 -> "/a".repeat(random.nextInt(3_000));
          case 7 -> "/" + percentEncoded(randomBytes(random.nextInt(200)));
          case 8 -> "/caf%C3%A9/%F0%9F%90%B6/%ED%A0%80";
          default -> "/..%2F..%2F..%5Cadmin?x=%zz&y=%00";
        };
    return bytes(
        "GET " + path + tail + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  private byte[] valid(String path) {
    if (random.nextBoolean()) {
      return bytes("GET " + path + "/ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }
    String body =
        random.nextBoolean()
            ? "{\"name\": \""
                + "a".repeat(random.nextInt(60))
                + (random.nextBoolean() ? "!" : "")
                + "\"}"
            : new String(randomBytes(random.nextInt(200)), StandardCharsets.ISO_8859_1);
    byte[] bodyBytes = body.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        bytes(
            "POST "
                + PREFIX
                + "/validated HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + bodyBytes.length
                + "\r\nConnection: close\r\n\r\n"));
    out.writeBytes(bodyBytes);
    return out.toByteArray();
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String percentEncoded(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append('%').append(String.format("%02X", b & 0xFF));
    }
    return text.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
