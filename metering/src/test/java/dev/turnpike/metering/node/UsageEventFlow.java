package dev.turnpike.metering.node;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import dev.turnpike.metering.MeteringFixture.Subscriber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces events without pause, one in ten sent again with the same id as a retry would. */
final class UsageEventFlow implements Runnable {
  private final KafkaProducer<String, byte[]> producer;
  private final List<Subscriber> subscribers;
  private final AtomicBoolean running = new AtomicBoolean(true);
  final AtomicLong unique = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  private final AtomicLong[] uniquePerSubscriber;
  final AtomicReference<Exception> failure = new AtomicReference<>();

  UsageEventFlow(KafkaProducer<String, byte[]> producer, List<Subscriber> subscribers) {
    this.producer = producer;
    this.subscribers = subscribers;
    this.uniquePerSubscriber = new AtomicLong[subscribers.size()];
    for (int i = 0; i < subscribers.size(); i++) {
      uniquePerSubscriber[i] = new AtomicLong();
    }
  }

  long uniqueFor(Subscriber subscriber) {
    return uniquePerSubscriber[subscribers.indexOf(subscriber)].get();
  }

  void stop() {
    running.set(false);
  }

  @Override
  public void run() {
    List<UsageEvent> recent = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (producer) {
      while (running.get()) {
        UsageEvent event;
        if (!recent.isEmpty() && random.nextInt(10) == 0) {
          event = recent.get(random.nextInt(recent.size()));
          retries.incrementAndGet();
        } else {
          int index = random.nextInt(subscribers.size());
          event =
              subscribers
                  .get(index)
                  .event(Instant.now(), random.nextInt(5) == 0 ? 500 : 200, Outcome.SERVED, 50);
          unique.incrementAndGet();
          uniquePerSubscriber[index].incrementAndGet();
          if (recent.size() < 2_000) {
            recent.add(event);
          } else {
            recent.set(random.nextInt(recent.size()), event);
          }
        }
        producer.send(
            new ProducerRecord<>(
                Topics.USAGE, event.keyId(), new UsageEventEncoder().encode(event)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        if (unique.get() % 50 == 0) {
          // About 10,000 events/s: enough to keep every batch full on a shared machine.
          Thread.sleep(5);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
    }
  }
}
