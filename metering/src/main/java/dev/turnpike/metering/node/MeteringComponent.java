package dev.turnpike.metering.node;

/**
 * A part of the metering service started once PostgreSQL and Kafka are reachable, before the usage
 * consumer, and closed in reverse order. Rating, invoicing and Stripe sync plug in as components.
 */
public interface MeteringComponent extends AutoCloseable {

  /** For logs and the admin port. */
  String name();

  /**
   * Starts the component; it may register a batch listener on the context. Throwing stops the
   * service's start.
   */
  void start(MeteringContext context) throws Exception;

  /** Whether the component does its job now; the service is ready only when all are. */
  default boolean ready() {
    return true;
  }

  @Override
  void close();
}
