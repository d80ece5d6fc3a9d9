package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.Domains.DomainView;
import dev.turnpike.controlplane.domain.Domains.RegisterDomain;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.egress.MachineNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proof of control by an HTTP token ({@code TURNPIKE_CP_DOMAIN_VERIFICATION=http}), against a
 * stand-in web server on loopback that every test name resolves to: the token is fetched at the
 * name (its Host header), and only where the platform's egress policy lets the tenant call, so a
 * name pointed at a private address is never called.
 */
class DomainHttpTokenTest {
  /** Every name resolves to loopback, where the stand-in server listens. */
  private static final MachineNetwork LOOPBACK =
      new MachineNetwork() {
        @Override
        public List<InetAddress> resolve(String host) {
          try {
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
          } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public Set<InetAddress> ownAddresses() {
          return Set.of();
        }
      };

  private final Map<String, String> served = new ConcurrentHashMap<>();
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private final HttpServer server = server();

  private HttpServer server() {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      s.createContext(
          "/",
          exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            String body = served.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not here" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Tenancy tenancy(String egressPolicy) {
    return new Tenancy(
        new MemoryControlPlane(
            Map.of(
                "TURNPIKE_CP_DOMAIN_VERIFICATION",
                "http",
                "TURNPIKE_CP_DOMAIN_HTTP_PORT",
                Integer.toString(server.getAddress().getPort()),
                "TURNPIKE_CP_DOMAIN_DNS_TIMEOUT_MS",
                "2000",
                "TURNPIKE_EGRESS_POLICY",
                egressPolicy),
            LOOPBACK));
  }

  private static ApiFailure verifyFails(Tenancy t, String name) {
    Domains d = t.u.domains();
    Domains.Challenge challenge = t.write(tx -> d.challenge(tx, name));
    var evidence = d.look(challenge);
    return t.failure(tx -> d.verify(tx, challenge, evidence));
  }

  @Test
  void a_name_that_serves_its_token_at_the_well_known_address_is_verified() {
    // The trial policy opens loopback (a one-machine platform's backends), where the server is.
    Tenancy t = tenancy("trial");
    DomainView view =
        t.write(tx -> t.u.domains().register(tx, new RegisterDomain("web.example.com")));
    String token = view.verification().recordValue();
    int port = server.getAddress().getPort();
    assertThat(view.verification().method()).isEqualTo("http-token");
    assertThat(view.verification().url())
        .isEqualTo("http://web.example.com:" + port + "/.well-known/turnpike-challenge/" + token);

    ApiFailure early = verifyFails(t, "web.example.com");
    assertThat(early.kind()).isEqualTo(ProblemKind.CONFLICT);
    assertThat(early.detail()).contains(view.verification().url());

    served.put("/.well-known/turnpike-challenge/" + token, token + "\n");
    Domains d = t.u.domains();
    Domains.Challenge challenge = t.write(tx -> d.challenge(tx, "web.example.com"));
    var evidence = d.look(challenge);
    assertThat(t.write(tx -> d.verify(tx, challenge, evidence)).verifiedAt()).isNotNull();
    assertThat(hosts).contains("web.example.com:" + port);
  }

  @Test
  void a_name_pointed_at_a_private_address_is_never_called() {
    // The strict policy (production's default) refuses loopback: the control plane must not call
    // its own machine because a tenant registered a name that resolves there.
    Tenancy t = tenancy("strict");
    DomainView view =
        t.write(tx -> t.u.domains().register(tx, new RegisterDomain("inside.example.com")));
    served.put(
        "/.well-known/turnpike-challenge/" + view.verification().recordValue(),
        view.verification().recordValue());

    ApiFailure refused = verifyFails(t, "inside.example.com");
    assertThat(refused.kind()).isEqualTo(ProblemKind.UNAVAILABLE);
    assertThat(refused.detail()).contains("egress policy");
    assertThat(hosts).isEmpty();
    assertThat(t.write(tx -> t.u.domains().get(tx, "inside.example.com")).verifiedAt()).isNull();
  }

  @Test
  void a_wildcard_cannot_be_registered_when_control_is_proved_by_http() {
    Tenancy t = tenancy("trial");
    ApiFailure failure =
        t.failure(tx -> t.u.domains().register(tx, new RegisterDomain("*.example.com")));
    assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(failure.errors().get(0).message()).contains("wildcard");
  }
}
