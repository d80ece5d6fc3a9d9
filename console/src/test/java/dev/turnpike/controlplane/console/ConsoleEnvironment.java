package dev.turnpike.controlplane.console;

import dev.turnpike.controlplane.ServerFeature;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A control plane whose console signs people in through a real Keycloak; infra's cross-service
 * tests start theirs with it too.
 */
public final class ConsoleEnvironment {
  private ConsoleEnvironment() {}

  /**
   * The console's redirect URI must be known before the server binds, so a free port is chosen
   * first; Keycloak accepts any port of a loopback redirect URI registered without one.
   */
  public static TestControlPlane start(
      TestDatabase db, KeycloakServer keycloak, String kafkaBootstrap) {
    return start(db, keycloak, kafkaBootstrap, Map.of());
  }

  public static TestControlPlane start(
      TestDatabase db,
      KeycloakServer keycloak,
      String kafkaBootstrap,
      Map<String, String> overrides) {
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_CP_PORT", Integer.toString(port));
    env.put("TURNPIKE_CP_OIDC_ISSUER", keycloak.issuer());
    env.put("TURNPIKE_CP_OIDC_JWKS_URL", keycloak.jwksUrl());
    env.put("TURNPIKE_CP_OIDC_AUDIENCE", TurnpikeRealm.API_AUDIENCE);
    env.put("TURNPIKE_CP_OIDC_LEEWAY_SECONDS", "5");
    env.put(ConsoleSettings.PUBLIC_URL, "http://127.0.0.1:" + port);
    env.put(ConsoleSettings.CLIENT_ID, TurnpikeRealm.CONSOLE_CLIENT);
    env.put(ConsoleSettings.CLIENT_SECRET, TurnpikeRealm.CONSOLE_CLIENT_SECRET);
    env.putAll(overrides);
    return TestControlPlane.start(db, kafkaBootstrap, env, ConsoleEnvironment::console);
  }

  /** The console, configured from the test's environment as the process's main configures it. */
  static List<ServerFeature> console(Map<String, String> env) {
    return List.of(Console.feature(ConsoleSettings.fromEnvironment(env)));
  }

  public static String base(TestControlPlane cp) {
    return "http://127.0.0.1:" + cp.controlPlane().port();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
