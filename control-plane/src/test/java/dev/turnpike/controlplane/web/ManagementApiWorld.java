package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A control plane on its own migrated database and one owner who calls it: what every {@link
 * ManagementApiFeatureTest} works on, started once per test JVM by {@link Extension}.
 */
record ManagementApiWorld(TestDatabase db, TestControlPlane cp, String owner)
    implements AutoCloseable {

  static ManagementApiWorld start(TestDatabase db) {
    return new ManagementApiWorld(db, TestControlPlane.start(db), "owner-" + UUID.randomUUID());
  }

  @Override
  public void close() {
    cp.close();
  }

  /**
   * Gives test classes the world as a parameter: one per test JVM, closed when the run ends. Its
   * database is asked of {@link EmbeddedPostgresExtension} for the run's root context, so it too is
   * one per JVM rather than one per class.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(ManagementApiWorld.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ManagementApiWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ExtensionContext root = context.getRoot();
      return root.getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              ManagementApiWorld.class,
              key ->
                  // A database no other class is given (see unsharedDatabase).
                  start(EmbeddedPostgresExtension.unsharedDatabase(root)),
              ManagementApiWorld.class);
    }
  }
}
