package dev.turnpike.testkit.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a {@link TestDatabase} parameter: a freshly migrated database of its own on a
 * real PostgreSQL that is started once per test JVM.
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedPostgresExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return classStore(context)
        .getOrComputeIfAbsent(
            TestDatabase.class, key -> server(context).newDatabase(), TestDatabase.class);
  }

  /**
   * A freshly migrated database that belongs to no test class, for a fixture several classes share
   * (the caller keeps it). Stored under no key: had it been put in the root context's store, every
   * class asking for its own database would find that one (stores are searched up the tree).
   */
  public static TestDatabase unsharedDatabase(ExtensionContext context) {
    return server(context).newDatabase();
  }

  private static PostgresServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            PostgresServer.class, key -> PostgresServer.start(), PostgresServer.class);
  }

  /** One database per top-level test class, shared by its methods and nested classes. */
  private static ExtensionContext.Store classStore(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent()
        && classContext.getParent().get().getTestClass().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(NAMESPACE);
  }
}
