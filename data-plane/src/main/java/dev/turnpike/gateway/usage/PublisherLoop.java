package dev.turnpike.gateway.usage;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventEncoder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher thread: the only thread that touches the producer's send side and the spool.
 *
 * <p>Each round it takes the events queued by the event loops and either hands them to the producer
 * (Kafka healthy and nothing older waiting in the spool) or appends them to the spool; then, while
 * Kafka is healthy, it hands the spool's oldest records to the producer, one batch at a time, and
 * commits them in the spool only once every record of the batch completed. While Kafka is unhealthy
 * and the producer holds nothing, one spooled record at a time goes out as a probe: its
 * acknowledgement is what shows that Kafka is back.
 */
final class PublisherLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PublisherLoop.class);

  private static final int EVENTS_PER_ROUND = 4096;
  private static final int SPOOL_BATCH = 4096;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final UsagePublisherConfig config;
  private final EventHandoffQueue<UsageEvent> queue;
  private final DiskSpool spool;
  private final KafkaHealth health;
  private final long probeIntervalNanos;
  private final LongAdder queueFull;
  private final LongAdder rejectedByKafka;
  private final DropReporter queueFullReporter;
  private final DropReporter rejectedReporter;
  private final ConcurrentLinkedQueue<UsageRecord> failedSends = new ConcurrentLinkedQueue<>();
  private final AtomicInteger spoolBatchOutstanding = new AtomicInteger();
  private final UsageEventEncoder encoder = new UsageEventEncoder();
  private UsageMetrics metrics;
  private volatile boolean stopping;
  private volatile String lastRejection = "";

  private Thread thread;
  private Producer<String, byte[]> producer;
  private long nextProducerAttemptNanos;
  private long lastProducerErrorNanos;
  private boolean producerErrorLogged;
  private long nextProbeNanos;
  private boolean spoolBatchOpen;
  private boolean inSend;
  private RuntimeException refusal;
  private long queueFullReported;
  private long rejectedReported;

  PublisherLoop(
      UsagePublisherConfig config,
      EventHandoffQueue<UsageEvent> queue,
      DiskSpool spool,
      KafkaHealth health,
      LongAdder queueFull,
      LongAdder rejectedByKafka) {
    this.config = config;
    this.queue = queue;
    this.spool = spool;
    this.health = health;
    this.probeIntervalNanos = Math.min(config.unhealthyAfter().toNanos(), ERROR_BACKOFF_NANOS);
    this.queueFull = queueFull;
    this.rejectedByKafka = rejectedByKafka;
    this.queueFullReporter =
        new DropReporter(
            LOG,
            () ->
                "the usage queue was full (capacity "
                    + config.queueCapacity()
                    + "); the publisher thread cannot keep up",
            System::nanoTime);
    this.rejectedReporter =
        new DropReporter(
            LOG,
            () -> "Kafka refused them as records (latest: " + lastRejection + ")",
            System::nanoTime);
  }

  /** Starts the thread; the loop owns the spool and the producer from here on. */
  void start(UsageMetrics metrics) {
    this.metrics = metrics;
    thread =
        Thread.ofPlatform()
            .name("turnpike-usage-publisher-" + config.nodeId())
            .daemon(true)
            .start(this);
  }

  /** Asks the thread to finish and waits until it has: see {@link KafkaUsagePublisher#close()}. */
  void stopAndJoin() {
    stopping = true;
    LockSupport.unpark(thread);
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    while (!stopping) {
      boolean busy;
      try {
        busy = round(System.nanoTime());
      } catch (RuntimeException e) {
        LOG.error("usage publisher round failed; retrying in a second", e);
        LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
        continue;
      }
      if (!busy) {
        LockSupport.parkNanos(IDLE_PARK_NANOS);
      }
    }
    try {
      finish();
    } catch (RuntimeException e) {
      LOG.error("usage publisher did not close cleanly; unsent events may be lost", e);
    }
  }

  private boolean round(long now) {
    ensureProducer(now);
    spoolFailedSends();
    boolean healthy = health.refresh(now);
    commitSpoolBatchIfDone();
    boolean busy = routeQueuedEvents(healthy);
    busy |= drainSpool(health.healthy(), now);
    spool.flush();
    reportDrops();
    return busy;
  }

  /**
   * Delivers what the producer holds within {@code unhealthyAfter}, spools the rest and what is
   * still queued, and closes the spool. Events the spool holds stay there for the next start.
   */
  private void finish() {
    while (routeQueuedEvents(health.refresh(System.nanoTime()))) {
      // Route until the queue is empty.
    }
    if (producer != null) {
      try {
        // Returns after every record completed: acknowledged, or failed back to us when the bound
        // passed (the producer aborts what it still holds).
        producer.close(config.unhealthyAfter());
      } catch (RuntimeException e) {
        LOG.error("the usage event producer did not close cleanly", e);
      }
    }
    spoolFailedSends();
    while (routeQueuedEvents(false)) {
      // An emit that raced with close lands here rather than nowhere.
    }
    commitSpoolBatchIfDone();
    spool.flush();
    reportDrops();
    queueFullReporter.flush();
    rejectedReporter.flush();
    long left = spool.pendingRecords();
    spool.close();
    if (left > 0) {
      LOG.info(
          "usage publisher stopped; {} events wait in {} for the next start",
          left,
          spool.directory());
    }
  }

  private void ensureProducer(long now) {
    if (producer != null || now - nextProducerAttemptNanos < 0) {
      return;
    }
    try {
      producer = new KafkaProducer<>(config.producerProperties());
    } catch (KafkaException e) {
      nextProducerAttemptNanos = now + probeIntervalNanos;
      health.failed("cannot create the producer: " + e.getMessage());
      if (now - lastProducerErrorNanos >= DropReporter.INTERVAL_NANOS || !producerErrorLogged) {
        LOG.error("cannot create the usage event producer; spooling and retrying", e);
        lastProducerErrorNanos = now;
        producerErrorLogged = true;
      }
    }
  }

  /** Routes up to a round's worth of queued events; true if there were any. */
  private boolean routeQueuedEvents(boolean healthy) {
    boolean direct = healthy && producer != null;
    int routed = 0;
    UsageEvent event;
    while (routed < EVENTS_PER_ROUND && (event = queue.poll()) != null) {
      routed++;
      UsageRecord record = encode(event);
      if (record == null) {
        continue;
      }
      if (direct && !spool.hasUnread()) {
        SendResult result = send(record, false);
        if (result == SendResult.REFUSED) {
          direct = false;
          spoolRecord(record);
        }
      } else {
        spoolRecord(record);
      }
    }
    return routed > 0;
  }

  /** Hands spooled records to the producer: a batch while healthy, a probe while not. */
  private boolean drainSpool(boolean healthy, long now) {
    if (producer == null || spoolBatchOpen) {
      return false;
    }
    int limit;
    if (healthy) {
      limit = SPOOL_BATCH;
    } else if (health.outstanding() == 0 && now - nextProbeNanos >= 0) {
      nextProbeNanos = now + probeIntervalNanos;
      limit = 1;
    } else {
      return false;
    }
    int handed = 0;
    byte[] bytes;
    while (handed < limit && (bytes = spool.peek()) != null) {
      UsageRecord record;
      try {
        record = UsageRecord.fromSpoolBytes(bytes);
      } catch (IllegalArgumentException e) {
        LOG.error("dropped an unreadable spooled usage record: {}", e.getMessage());
        metrics.droppedUnencodable.increment();
        spool.advance();
        spoolBatchOpen = true;
        continue;
      }
      if (send(record, true) == SendResult.REFUSED) {
        break;
      }
      spool.advance();
      spoolBatchOpen = true;
      handed++;
    }
    return handed > 0;
  }

  private void commitSpoolBatchIfDone() {
    if (spoolBatchOpen && spoolBatchOutstanding.get() == 0) {
      // A record of the batch that failed is back in failedSends; spool it before committing.
      spoolFailedSends();
      spool.commit();
      spoolBatchOpen = false;
    }
  }

  private enum SendResult {
    /** The producer holds it; the callback tells the rest. */
    ACCEPTED,
    /** Never accepted (no metadata, full buffer, producer broken): it was not written. */
    REFUSED,
    /** Refused for what it is (too large): sending it again cannot help; counted as dropped. */
    REJECTED
  }

  private SendResult send(UsageRecord record, boolean fromSpool) {
    health.sending(System.nanoTime());
    if (fromSpool) {
      spoolBatchOutstanding.incrementAndGet();
    }
    refusal = null;
    inSend = true;
    try {
      producer.send(
          new ProducerRecord<>(Topics.USAGE, record.key, record.value),
          callback(record, fromSpool));
    } catch (RuntimeException e) {
      refusal = e;
    } finally {
      inSend = false;
    }
    if (refusal == null) {
      return SendResult.ACCEPTED;
    }
    if (fromSpool) {
      spoolBatchOutstanding.decrementAndGet();
    }
    if (isAboutTheRecord(refusal)) {
      health.rejected(System.nanoTime());
      rejected(refusal);
      return SendResult.REJECTED;
    }
    health.refused(describe(refusal));
    // Decide now, so the events behind this one are judged by the same state.
    health.refresh(System.nanoTime());
    return SendResult.REFUSED;
  }

  private Callback callback(UsageRecord record, boolean fromSpool) {
    return (metadata, exception) -> {
      if (Thread.currentThread() == thread && inSend) {
        // send() itself failed: the record never entered the producer. send() decides.
        refusal = exception instanceof RuntimeException r ? r : new KafkaException(exception);
        return;
      }
      completed(record, fromSpool, exception);
    };
  }

  /** Producer I/O thread, or the publisher thread inside {@code producer.close()}. */
  private void completed(UsageRecord record, boolean fromSpool, Exception exception) {
    long now = System.nanoTime();
    if (exception == null) {
      health.acknowledged(now);
      metrics.sent.increment();
    } else if (isAboutTheRecord(exception)) {
      health.rejected(now);
      rejected(exception);
    } else {
      // Either never written (nothing was in flight) or, only when the producer was closed with
      // the record in flight, possibly written: spooled again, at least once.
      failedSends.add(record);
      health.failedAfterSending(describe(exception));
    }
    if (fromSpool) {
      spoolBatchOutstanding.decrementAndGet();
    }
  }

  private static boolean isAboutTheRecord(Exception exception) {
    return exception instanceof RecordTooLargeException
        || exception instanceof RecordBatchTooLargeException
        || exception instanceof InvalidRecordException
        || exception instanceof SerializationException;
  }

  private void rejected(Exception exception) {
    lastRejection = describe(exception);
    rejectedByKafka.increment();
  }

  private static String describe(Exception exception) {
    return exception.getClass().getSimpleName() + ": " + exception.getMessage();
  }

  private UsageRecord encode(UsageEvent event) {
    try {
      return UsageRecord.of(event, encoder);
    } catch (RuntimeException e) {
      LOG.error("dropped a usage event that cannot be encoded: {}", e.getMessage());
      metrics.droppedUnencodable.increment();
      return null;
    }
  }

  private void spoolFailedSends() {
    UsageRecord record;
    while ((record = failedSends.poll()) != null) {
      spoolRecord(record);
    }
  }

  private void spoolRecord(UsageRecord record) {
    if (spool.append(record.toSpoolBytes())) {
      metrics.spooled.increment();
    } else {
      metrics.droppedSpoolFull.increment();
    }
  }

  private void reportDrops() {
    long queueFullNow = queueFull.sum();
    queueFullReporter.dropped(queueFullNow - queueFullReported);
    queueFullReported = queueFullNow;
    long rejectedNow = rejectedByKafka.sum();
    rejectedReporter.dropped(rejectedNow - rejectedReported);
    rejectedReported = rejectedNow;
  }
}
