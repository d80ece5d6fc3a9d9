package dev.turnpike.testkit.keycloak;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link KeycloakServer} parameter: one real Keycloak with the Turnpike realm ({@link
 * TurnpikeRealm#file()}), started once per test JVM and stopped when the run ends. Tests that need
 * a realm of their own start a server with {@link KeycloakServer#start} instead.
 */
public final class KeycloakExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KeycloakExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KeycloakServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            SharedServer.class,
            key -> new SharedServer(KeycloakServer.start(TurnpikeRealm.file())),
            SharedServer.class)
        .server();
  }

  /** Lets JUnit stop the shared server when the root context ends. */
  private record SharedServer(KeycloakServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }
}
