package dev.turnpike.portal.testing;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.portal.PortalSettings;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import java.util.HashMap;
import java.util.Map;

/** The portal's settings in tests: a free loopback port, the test's control plane and Keycloak. */
public final class TestPortalSettings {
  /** Where the try-it panel would call when a test has no gateway: a port nothing listens on. */
  public static final String NO_GATEWAY = "http://127.0.0.1:9";

  private TestPortalSettings() {}

  /**
   * @param gatewayUrl where the try-it panel calls, {@link #NO_GATEWAY} for none
   * @param overrides further {@code TURNPIKE_PORTAL_*} settings, winning over these
   */
  public static PortalSettings of(
      TestControlPlane cp,
      KeycloakServer keycloak,
      String gatewayUrl,
      Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_PORTAL_HOST", "127.0.0.1");
    env.put("TURNPIKE_PORTAL_PORT", "0");
    env.put("TURNPIKE_PORTAL_CONTROL_PLANE_URL", "http://127.0.0.1:" + cp.controlPlane().port());
    env.put("TURNPIKE_PORTAL_OIDC_ISSUER", keycloak.issuer());
    env.put("TURNPIKE_PORTAL_CLIENT_SECRET", TurnpikeRealm.PORTAL_CLIENT_SECRET);
    env.put("TURNPIKE_PORTAL_GATEWAY_URL", gatewayUrl);
    env.putAll(overrides);
    return PortalSettings.fromEnvironment(env);
  }
}
