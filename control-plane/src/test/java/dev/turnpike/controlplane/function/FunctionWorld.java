package dev.turnpike.controlplane.function;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A control plane on its own migrated database: what every {@link FunctionFeatureTest} works on,
 * started once per test JVM by {@link Extension}. Each class signs in an owner of its own, and each
 * test makes its own tenant.
 */
record FunctionWorld(TestDatabase db, TestControlPlane cp) implements AutoCloseable {

  static FunctionWorld start(TestDatabase db) {
    return new FunctionWorld(db, TestControlPlane.start(db));
  }

  @Override
  public void close() {
    cp.close();
  }

  /**
   * Gives test classes the world as a parameter: one per test JVM, closed when the run ends. Its
   * database is asked of {@link EmbeddedPostgresExtension} as one no class is given, so a class
   * asking for its own database never finds this one.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(FunctionWorld.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == FunctionWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ExtensionContext root = context.getRoot();
      return root.getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              FunctionWorld.class,
              key -> start(EmbeddedPostgresExtension.unsharedDatabase(root)),
              FunctionWorld.class);
    }
  }
}
