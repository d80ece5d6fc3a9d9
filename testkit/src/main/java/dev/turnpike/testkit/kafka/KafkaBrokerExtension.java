package dev.turnpike.testkit.kafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link KafkaBroker} parameter: one real in-process broker started once per test JVM
 * and stopped when the run ends. Tests that take Kafka away start their own with {@link
 * KafkaBroker#start()} instead.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            SharedBroker.class, key -> new SharedBroker(KafkaBroker.start()), SharedBroker.class)
        .broker();
  }

  /** Lets JUnit close the shared broker when the root context ends. */
  private record SharedBroker(KafkaBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }
}
