package dev.turnpike.metering.node;

import dev.turnpike.metering.quota.QuotaWorker;
import dev.turnpike.metering.quota.impl.JdbcQuotaStore;
import dev.turnpike.metering.quota.impl.KafkaQuotaStatePublisher;

/** Quota state to the gateways: evaluated after every batch and at each period boundary. */
final class QuotaComponent implements MeteringComponent {
  private KafkaQuotaStatePublisher publisher;
  private QuotaWorker worker;
  private Thread thread;

  @Override
  public String name() {
    return "quota";
  }

  @Override
  public void start(MeteringContext context) {
    MeteringSettings settings = context.settings();
    publisher =
        new KafkaQuotaStatePublisher(
            settings.kafkaBootstrapServers(), settings.kafkaSecurity(), settings.kafkaTimeout());
    worker =
        new QuotaWorker(
            new JdbcQuotaStore(context.database()),
            publisher,
            context.clock(),
            settings.retryBackoffMax(),
            context.registry());
    context.onBatchCommitted(worker);
    thread = Thread.ofPlatform().name("metering-quota").daemon().start(worker);
  }

  @Override
  public boolean ready() {
    return thread != null && thread.isAlive();
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }
}
