package dev.turnpike.platform;

import dev.turnpike.egress.HostPort;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment every service JVM gets: the launcher's own (so any other {@code TURNPIKE_*}
 * setting a user exports reaches the service that reads it) with the platform's wiring on top —
 * where the database, Kafka and Keycloak are and which ports each service takes. Every service
 * reads only its own variables, so one environment serves them all.
 */
final class ServiceEnvironment {
  /** The audience management API tokens carry (infra/keycloak/README.md). */
  static final String API_AUDIENCE = "turnpike-api";

  static final String EGRESS_POLICY = "TURNPIKE_EGRESS_POLICY";
  static final String EGRESS_LISTENERS = "TURNPIKE_EGRESS_PLATFORM_LISTENERS";
  static final String EGRESS_TENANT_ALLOW = "TURNPIKE_EGRESS_TENANT_ALLOW";

  private ServiceEnvironment() {}

  static Map<String, String> of(
      Map<String, String> inherited, PlatformSettings settings, String kafkaBootstrapServers) {
    Map<String, String> env = new HashMap<>(inherited);
    PlatformSettings.DatabaseLogins logins = settings.database().logins();
    env.put("TURNPIKE_DB_URL", settings.database().jdbcUrl());
    env.put("TURNPIKE_DB_OWNER_USER", logins.ownerUser());
    env.put("TURNPIKE_DB_OWNER_PASSWORD", logins.ownerPassword());
    env.put("TURNPIKE_DB_USER", logins.appUser());
    env.put("TURNPIKE_DB_PASSWORD", logins.appPassword());
    env.put("TURNPIKE_DB_SYSTEM_USER", logins.systemUser());
    env.put("TURNPIKE_DB_SYSTEM_PASSWORD", logins.systemPassword());
    env.put("TURNPIKE_DB_METERING_USER", logins.meteringUser());
    env.put("TURNPIKE_DB_METERING_PASSWORD", logins.meteringPassword());
    env.put("TURNPIKE_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);

    PlatformSettings.Ports ports = settings.ports();
    env.putIfAbsent("TURNPIKE_CP_HOST", settings.bindHost());
    env.put("TURNPIKE_CP_PORT", Integer.toString(ports.controlPlane()));
    env.putIfAbsent("TURNPIKE_CP_OIDC_ISSUER", settings.keycloak().issuer());
    env.putIfAbsent("TURNPIKE_CP_OIDC_AUDIENCE", API_AUDIENCE);
    // The owner console, served by the control plane, with the secret the trial realm was given.
    env.putIfAbsent("TURNPIKE_CP_CONSOLE_PUBLIC_URL", "http://localhost:" + ports.controlPlane());
    env.putIfAbsent(
        "TURNPIKE_CP_CONSOLE_CLIENT_SECRET", LocalSecrets.consoleClientSecret(settings.stateDir()));
    // So the console shows a stage's full addresses (a WebSocket API's ws:// URL).
    env.putIfAbsent("TURNPIKE_CP_CONSOLE_GATEWAY_URL", "http://localhost:" + ports.gateway());

    // Custom domains' private keys: sealed by the control plane, opened by the gateway, so one
    // key for both (every service gets this one environment).
    env.putIfAbsent("TURNPIKE_SECRET_KEY", LocalSecrets.secretKey(settings.stateDir()));

    env.putIfAbsent("TURNPIKE_GATEWAY_HOST", settings.bindHost());
    env.put("TURNPIKE_GATEWAY_PORT", Integer.toString(ports.gateway()));
    env.put("TURNPIKE_GATEWAY_ADMIN_PORT", Integer.toString(ports.gatewayAdmin()));
    env.put("TURNPIKE_GATEWAY_DOMAINS_PORT", Integer.toString(ports.gatewayDomains()));
    env.putIfAbsent("TURNPIKE_GATEWAY_DATA_DIR", settings.stateDir().resolve("gateway").toString());
    env.putIfAbsent("TURNPIKE_NODE_ID", "local-gw-1");

    env.putIfAbsent("TURNPIKE_METERING_ADMIN_HOST", settings.bindHost());
    env.put("TURNPIKE_METERING_ADMIN_PORT", Integer.toString(ports.metering()));
    env.putIfAbsent("TURNPIKE_BILLING_HOST", settings.bindHost());
    env.put("TURNPIKE_BILLING_PORT", Integer.toString(ports.billing()));
    // Shared by the control plane and billing; billing needs it once a Stripe key is set.
    env.putIfAbsent("TURNPIKE_INTERNAL_TOKEN", LocalSecrets.internalToken(settings.stateDir()));
    // The portal's paid plans: the control plane asks billing for checkout sessions with the
    // token. Ledger-only billing opens none, so without a Stripe key they stay switched off.
    if (env.get("TURNPIKE_STRIPE_API_KEY") != null
        && !env.get("TURNPIKE_STRIPE_API_KEY").isBlank()) {
      env.putIfAbsent("TURNPIKE_CP_BILLING_URL", "http://localhost:" + ports.billing());
      env.putIfAbsent("TURNPIKE_CP_BILLING_TOKEN", env.get("TURNPIKE_INTERNAL_TOKEN"));
    }
    // The portal's sessions in PostgreSQL through its sessions-only login (V41), so a restart
    // signs no developer out; never the platform's logins, which the portal has no use for.
    if (logins.portalSessionsUser() != null) {
      env.putIfAbsent("TURNPIKE_PORTAL_SESSION_DB_URL", settings.database().jdbcUrl());
      env.putIfAbsent("TURNPIKE_PORTAL_SESSION_DB_USER", logins.portalSessionsUser());
      env.putIfAbsent("TURNPIKE_PORTAL_SESSION_DB_PASSWORD", logins.portalSessionsPassword());
    }
    env.putIfAbsent("TURNPIKE_PORTAL_HOST", settings.bindHost());
    env.put("TURNPIKE_PORTAL_PORT", Integer.toString(ports.portal()));
    env.putIfAbsent("TURNPIKE_PORTAL_PUBLIC_URL", "http://localhost:" + ports.portal());
    env.putIfAbsent(
        "TURNPIKE_PORTAL_CONTROL_PLANE_URL", "http://localhost:" + ports.controlPlane());
    env.putIfAbsent("TURNPIKE_PORTAL_OIDC_ISSUER", settings.keycloak().issuer());
    env.putIfAbsent(
        "TURNPIKE_PORTAL_CLIENT_SECRET", LocalSecrets.portalClientSecret(settings.stateDir()));
    env.putIfAbsent("TURNPIKE_PORTAL_GATEWAY_URL", "http://localhost:" + ports.gateway());

    // One machine, its backends on loopback (the demo's): the trial egress policy, which still
    // keeps tenants from every port of the platform itself. The gateway and the control plane
    // read both; a user's own listeners are kept beside the platform's.
    env.putIfAbsent(EGRESS_POLICY, "trial");
    String listeners = PlatformListeners.text(PlatformListeners.of(settings));
    String own = env.get(EGRESS_LISTENERS);
    env.put(EGRESS_LISTENERS, own == null || own.isBlank() ? listeners : own + "," + listeners);
    return env;
  }

  /**
   * {@code env} with {@code tenantId} granted exactly {@code listener} (one address, one port: the
   * only grant that opens a platform listener, and to that tenant alone), beside the grants the
   * user set.
   */
  static Map<String, String> withListenerGrant(
      Map<String, String> env, String tenantId, HostPort listener) {
    Map<String, String> granted = new HashMap<>(env);
    String grant = tenantId + "=" + listener;
    String own = env.get(EGRESS_TENANT_ALLOW);
    granted.put(EGRESS_TENANT_ALLOW, own == null || own.isBlank() ? grant : own + ";" + grant);
    return granted;
  }
}
