package dev.turnpike.controlplane.domain.impl;

import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.OwnershipCheck;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Proves control of a name by an HTTP token: {@code GET
 * http://<domain>/.well-known/turnpike-challenge/<token>} must answer 200 with the token as its
 * body. The name is resolved once, every address it resolves to is held to the platform's egress
 * policy for the tenant (so a tenant cannot make the control plane call loopback, a metadata
 * service, a private network or a platform listener by registering a name that points there), and
 * the request goes to an address that passed: the answer of a second resolution is never used. No
 * redirect is followed; at most 4 KiB is read.
 */
public final class HttpTokenCheck implements OwnershipCheck {
  public static final String PATH = "/.well-known/turnpike-challenge/";
  private static final int MAX_BYTES = 4096;

  private final EgressPolicy policy;
  private final MachineNetwork network;
  private final int port;
  private final Duration timeout;

  /**
   * @param port 80 in production; a test's own server elsewhere
   */
  public HttpTokenCheck(EgressPolicy policy, MachineNetwork network, int port, Duration timeout) {
    this.policy = policy;
    this.network = network;
    this.port = port;
    this.timeout = timeout;
  }

  @Override
  public Domains.Verification instructions(String domain, String token) {
    String url = "http://" + domain + (port == 80 ? "" : ":" + port) + PATH + token;
    return new Domains.Verification("http-token", null, token, url);
  }

  @Override
  public String refusal(String domain) {
    return domain.startsWith("*.")
        ? "a wildcard name cannot be proved by an HTTP token (no one host serves it); this"
            + " platform checks control by HTTP, so register the names one by one"
        : null;
  }

  @Override
  public Evidence look(UUID tenantId, String domain, String token) {
    List<InetAddress> addresses;
    try {
      addresses = network.resolve(domain);
    } catch (RuntimeException e) {
      return Evidence.failed(domain + " does not resolve");
    }
    if (addresses.isEmpty()) {
      return Evidence.failed(domain + " does not resolve");
    }
    for (InetAddress address : addresses) {
      EgressDecision decision = policy.check(tenantId.toString(), address, port);
      if (!decision.allowed()) {
        return Evidence.failed(
            domain
                + " resolves to "
                + decision.reason()
                + ", which the platform's egress policy does not let it call");
      }
    }
    try {
      String body = get(addresses.get(0), domain, PATH + token);
      return Evidence.found(body == null ? List.of() : List.of(body.strip()));
    } catch (IOException e) {
      return Evidence.failed(
          "http://" + domain + PATH + "... could not be fetched: " + e.getClass().getSimpleName());
    }
  }

  /** The body of a 200 answer, null for any other status. */
  private String get(InetAddress address, String host, String path) throws IOException {
    int millis = (int) timeout.toMillis();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      String hostHeader = port == 80 ? host : host + ":" + port;
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + hostHeader
                  + "\r\nUser-Agent: turnpike-domain-check\r\nAccept: text/plain\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAtMost(socket.getInputStream());
      int headersEnd = answer.indexOf("\r\n\r\n");
      if (!answer.startsWith("HTTP/1.") || headersEnd < 0) {
        return null;
      }
      String statusLine = answer.substring(0, answer.indexOf("\r\n"));
      String[] parts = statusLine.split(" ");
      if (parts.length < 2 || !parts[1].equals("200")) {
        return null;
      }
      return answer.substring(headersEnd + 4);
    }
  }

  private static String readAtMost(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    int n;
    while (read.size() < MAX_BYTES && (n = in.read(buffer)) >= 0) {
      read.write(buffer, 0, Math.min(n, MAX_BYTES - read.size()));
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }
}
