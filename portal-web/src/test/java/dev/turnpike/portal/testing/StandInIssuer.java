package dev.turnpike.portal.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An OIDC provider that only answers discovery and an empty key set: enough for the portal to start
 * in tests that never sign anyone in (anonymous pages, the listener, the try-it panel). With no key
 * it could verify no ID token, so no sign-in would pass. Sign-in tests use Keycloak.
 */
public final class StandInIssuer implements AutoCloseable {
  private final HttpServer server;

  private StandInIssuer(HttpServer server) {
    this.server = server;
  }

  public static StandInIssuer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      StandInIssuer issuer = new StandInIssuer(server);
      server.createContext(
          "/realms/test/.well-known/openid-configuration",
          exchange -> {
            String base = issuer.issuer() + "/protocol/openid-connect";
            byte[] body =
                ("{\"issuer\":\""
                        + issuer.issuer()
                        + "\",\"authorization_endpoint\":\""
                        + base
                        + "/auth\",\"token_endpoint\":\""
                        + base
                        + "/token\",\"jwks_uri\":\""
                        + base
                        + "/certs\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.createContext(
          "/realms/test/protocol/openid-connect/certs",
          exchange -> {
            byte[] body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the stand-in issuer", e);
    }
  }

  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
