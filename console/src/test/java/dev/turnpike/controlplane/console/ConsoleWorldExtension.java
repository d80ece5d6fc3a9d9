package dev.turnpike.controlplane.console;

import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes a {@link ConsoleWorld} parameter: one per test JVM, closed when the run ends.
 * Its database is a fresh one of {@link EmbeddedPostgresExtension}'s server that no other class is
 * given (classes with their own Keycloak must not write users into it); Keycloak is the shared one
 * of {@link KeycloakExtension}.
 */
public final class ConsoleWorldExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ConsoleWorldExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ConsoleWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext root = context.getRoot();
    return root.getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            ConsoleWorld.class,
            key ->
                ConsoleWorld.start(
                    EmbeddedPostgresExtension.unsharedDatabase(root),
                    (KeycloakServer) new KeycloakExtension().resolveParameter(parameter, root)),
            ConsoleWorld.class);
  }
}
