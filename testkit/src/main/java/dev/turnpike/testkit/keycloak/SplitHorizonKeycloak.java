package dev.turnpike.testkit.keycloak;

import dev.turnpike.testkit.http.RecordingProxy;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keycloak under two addresses, as in a container network: browsers reach it through a public
 * entrance (a {@link RecordingProxy} standing in for a port mapping or an ingress, whose address is
 * Keycloak's {@code --hostname} and so the issuer), while services reach it directly at {@link
 * KeycloakServer#realmUrl()}. The entrance records what passes through it, so a test can tell which
 * calls took the public road.
 */
public final class SplitHorizonKeycloak implements AutoCloseable {
  /** The realm's path, as the entrance records requests to it. */
  public static final String REALM = "/realms/" + TurnpikeRealm.NAME;

  private final RecordingProxy entrance;
  private final KeycloakServer keycloak;

  private SplitHorizonKeycloak(RecordingProxy entrance, KeycloakServer keycloak) {
    this.entrance = entrance;
    this.keycloak = keycloak;
  }

  /** Starts the entrance, then Keycloak with the Turnpike realm behind it. */
  public static SplitHorizonKeycloak start() {
    RecordingProxy entrance = RecordingProxy.start();
    try {
      KeycloakServer keycloak =
          KeycloakServer.start(TurnpikeRealm.file(), "http://localhost:" + entrance.port());
      entrance.forwardTo(keycloak.baseUrl());
      return new SplitHorizonKeycloak(entrance, keycloak);
    } catch (RuntimeException e) {
      entrance.close();
      throw e;
    }
  }

  public KeycloakServer keycloak() {
    return keycloak;
  }

  public int entrancePort() {
    return entrance.port();
  }

  /** Every request that took the public road so far, as {@code "METHOD /path"}. */
  public List<String> publicRequests() {
    return entrance.requests();
  }

  /**
   * The public requests that a service should have sent inside: discovery, the token endpoint (code
   * exchange, refresh) and the signing keys. Empty when every back-channel call stayed inside.
   */
  public List<String> backChannelCallsOnThePublicRoad() {
    Predicate<String> backChannel =
        request ->
            request.contains("/.well-known/")
                || request.endsWith("/protocol/openid-connect/token")
                || request.endsWith("/protocol/openid-connect/certs");
    return publicRequests().stream().filter(backChannel).toList();
  }

  @Override
  public void close() {
    try {
      keycloak.close();
    } finally {
      entrance.close();
    }
  }
}
