package dev.turnpike.controlplane.console;

import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes a {@link ConsoleWorld} parameter: one per test JVM, closed when the run ends.
 * Its database is asked of {@link EmbeddedPostgresExtension} for the run's root context, so it too
 * is one per JVM rather than one per class; Keycloak is the shared one of {@link
 * KeycloakExtension}.
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
                    (TestDatabase)
                        new EmbeddedPostgresExtension().resolveParameter(parameter, root),
                    (KeycloakServer) new KeycloakExtension().resolveParameter(parameter, root)),
            ConsoleWorld.class);
  }
}
