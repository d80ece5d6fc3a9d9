package dev.turnpike.controlplane.alarm.impl;

import dev.turnpike.egress.EgressDecision;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.MachineNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs one alarm notification to a tenant's webhook. The host is resolved once, every address is
 * held to the platform's egress policy for the tenant (a name that points at loopback, a metadata
 * service, a private network or a platform listener is refused, as at save), and the request goes
 * to an address that passed, so a second resolution cannot steer it elsewhere. https is verified
 * against the URL's host. No redirect is followed and at most 4 KiB of the answer is read; connect
 * and read are each bounded by the timeout.
 */
public final class WebhookSender {
  private static final int MAX_ANSWER_BYTES = 4096;

  private final EgressPolicy policy;
  private final MachineNetwork network;
  private final Duration timeout;

  public WebhookSender(EgressPolicy policy, MachineNetwork network, Duration timeout) {
    this.policy = policy;
    this.network = network;
    this.timeout = timeout;
  }

  /** What became of one call. */
  public record Outcome(boolean delivered, String summary) {}

  public Outcome post(String tenantId, String url, String json) {
    return post(tenantId, url, json, Map.of());
  }

  /**
   * @param headers added to the request (the platform's own, e.g. the signature; never a tenant's)
   */
  public Outcome post(String tenantId, String url, String json, Map<String, String> headers) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return new Outcome(false, "failed: not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    if (!tls && !scheme.equals("http") || uri.getHost() == null) {
      return new Outcome(false, "failed: not an http or https URL");
    }
    String host = uri.getHost();
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    List<InetAddress> addresses;
    try {
      addresses = network.resolve(bareHost);
    } catch (RuntimeException e) {
      addresses = List.of();
    }
    if (addresses.isEmpty()) {
      return new Outcome(false, "failed: " + host + " does not resolve");
    }
    for (InetAddress address : addresses) {
      EgressDecision decision = policy.check(tenantId, address, port);
      if (!decision.allowed()) {
        return new Outcome(
            false, "failed: refused by the egress policy (" + decision.reason() + ")");
      }
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    boolean defaultPort = uri.getPort() < 0;
    String hostHeader = defaultPort ? host : host + ":" + port;
    try {
      int status =
          send(addresses.get(0), bareHost, port, tls, hostHeader, path, json, extra(headers));
      boolean ok = status >= 200 && status < 300;
      return new Outcome(ok, (ok ? "delivered " : "failed: answered ") + status);
    } catch (IOException e) {
      return new Outcome(false, "failed: " + e.getClass().getSimpleName());
    }
  }

  private int send(
      InetAddress address,
      String host,
      int port,
      boolean tls,
      String hostHeader,
      String path,
      String json,
      String extraHeaders)
      throws IOException {
    int millis = (int) timeout.toMillis();
    // The socket's timeout bounds each read; this bounds the whole answer, so a receiver that
    // drips a byte at a time cannot hold one of the few webhook threads for long.
    long deadline = System.nanoTime() + timeout.toNanos() * 2;
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), millis);
      plain.setSoTimeout(millis);
      Socket socket = tls ? tls(plain, host, port) : plain;
      try {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + hostHeader
                    + "\r\nUser-Agent: turnpike-alarms\r\nContent-Type: application/json"
                    + "\r\nContent-Length: "
                    + body.length
                    + "\r\n"
                    + extraHeaders
                    + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return status(readAtMost(socket.getInputStream(), deadline));
      } finally {
        if (socket != plain) {
          socket.close();
        }
      }
    }
  }

  private static String extra(Map<String, String> headers) {
    StringBuilder out = new StringBuilder();
    headers.forEach(
        (name, value) -> {
          if ((name + value).chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("header " + name + " is not printable ASCII");
          }
          out.append(name).append(": ").append(value).append("\r\n");
        });
    return out.toString();
  }

  private static Socket tls(Socket plain, String host, int port) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.contains(":") && !Character.isDigit(host.charAt(host.length() - 1))) {
      parameters.setServerNames(List.of(new SNIHostName(host)));
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static int status(String answer) throws IOException {
    int lineEnd = answer.indexOf("\r\n");
    String[] parts = (lineEnd < 0 ? answer : answer.substring(0, lineEnd)).split(" ");
    if (!answer.startsWith("HTTP/1.") || parts.length < 2) {
      throw new IOException("not an HTTP answer");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP answer");
    }
  }

  /** Reads until the status line is in or the limit is reached. */
  private static String readAtMost(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    int n;
    while (read.size() < MAX_ANSWER_BYTES && (n = in.read(buffer)) >= 0) {
      read.write(buffer, 0, Math.min(n, MAX_ANSWER_BYTES - read.size()));
      if (read.toString(StandardCharsets.ISO_8859_1).contains("\r\n")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("answer too slow");
      }
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }
}
