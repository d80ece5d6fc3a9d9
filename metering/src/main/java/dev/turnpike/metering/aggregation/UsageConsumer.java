package dev.turnpike.metering.aggregation;

import dev.turnpike.contracts.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code turnpike.usage} in batches and commits each batch's aggregates together with the
 * positions after it, so the database alone says how far metering has counted. Kafka's committed
 * offsets are never used: on every assignment the partitions are sought to the stored positions.
 *
 * <p>Runs on one thread of its own ({@link #run}); {@link #close} stops it from any thread.
 */
public final class UsageConsumer implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UsageConsumer.class);

  /** Where the loop is; the admin port reports it. */
  public enum State {
    STARTING,
    RUNNING,
    FAILED,
    STOPPED
  }

  private final ConsumerSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final AggregationStore store;
  private final BatchListener listener;
  private final Tracer tracer;
  private final Backoff backoff;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  // Partitions assigned but not yet sought to their stored offset (the store was unreachable).
  private final Set<TopicPartition> unpositioned = new HashSet<>();
  private final Counter eventsRead;
  private final Counter eventsCounted;
  private final Counter duplicates;
  private final Counter skipped;
  private final Counter retries;
  private final Counter offsetResets;
  private final Timer commitTimer;
  private final ConsumerLagGauge lag;
  private final ExecutorService commitExecutor;
  private volatile State state = State.STARTING;
  private volatile Throwable failure;
  private volatile boolean assigned;

  public UsageConsumer(
      ConsumerSettings settings,
      AggregationStore store,
      BatchListener listener,
      MeterRegistry registry) {
    this(settings, store, listener, registry, null);
  }

  /**
   * @param tracer records a span per committed poll ({@link BatchSpan}); null for none
   */
  public UsageConsumer(
      ConsumerSettings settings,
      AggregationStore store,
      BatchListener listener,
      MeterRegistry registry,
      Tracer tracer) {
    this(
        settings,
        new KafkaConsumer<>(consumerProperties(settings)),
        store,
        listener,
        registry,
        tracer);
  }

  UsageConsumer(
      ConsumerSettings settings,
      Consumer<byte[], byte[]> consumer,
      AggregationStore store,
      BatchListener listener,
      MeterRegistry registry,
      Tracer tracer) {
    this.settings = settings;
    this.tracer = tracer;
    this.consumer = consumer;
    this.store = store;
    this.listener = listener;
    this.backoff = new Backoff(settings.retryBackoffMin(), settings.retryBackoffMax());
    this.eventsRead = registry.counter("turnpike_metering_events_read");
    this.eventsCounted = registry.counter("turnpike_metering_events_counted");
    this.duplicates = registry.counter("turnpike_metering_events_duplicate");
    this.skipped = registry.counter("turnpike_metering_events_skipped");
    this.retries = registry.counter("turnpike_metering_batch_retries");
    this.offsetResets = registry.counter("turnpike_metering_offset_resets");
    this.commitTimer = registry.timer("turnpike_metering_batch_commit");
    this.lag = new ConsumerLagGauge(registry);
    this.commitExecutor =
        Executors.newFixedThreadPool(
            settings.commitThreads(),
            Thread.ofPlatform().name("metering-commit-", 0).daemon().factory());
  }

  static Properties consumerProperties(ConsumerSettings settings) {
    Properties props = new Properties();
    props.putAll(settings.security().clientProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
    if (settings.instanceId() != null) {
      props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "turnpike-metering-" + settings.instanceId());
    }
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Positions come from the database; "none" makes a missing one an explicit failure here.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    int sessionMillis = (int) settings.sessionTimeout().toMillis();
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionMillis);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, sessionMillis / 3));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  public State state() {
    return state;
  }

  /** Ready once the group gave this instance its partitions (possibly none) and it is running. */
  public boolean ready() {
    return state == State.RUNNING && assigned;
  }

  /** Why the loop stopped by itself, or null. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new StoredOffsetSeeker());
      state = State.RUNNING;
      while (stopping.getCount() > 0) {
        step();
      }
      state = State.STOPPED;
    } catch (WakeupException | InterruptException e) {
      state = State.STOPPED;
    } catch (RuntimeException | Error e) {
      failure = e;
      state = State.FAILED;
      LOG.error("usage consumer stopped: {}", e.getMessage(), e);
    } finally {
      try {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      } catch (RuntimeException e) {
        LOG.warn("closing the usage consumer failed: {}", e.getMessage());
      }
      commitExecutor.shutdownNow();
      stopped.countDown();
    }
  }

  /** One poll and, when it brought records, one committed batch. */
  private void step() {
    if (!unpositioned.isEmpty() && !seekToStored(Set.copyOf(unpositioned))) {
      backOff();
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(settings.pollTimeout());
      lag.observe(consumer);
    } catch (NoOffsetForPartitionException e) {
      // Only partitions whose stored offset could not be read get here (Kafka holds none).
      unpositioned.addAll(e.partitions());
      consumer.pause(e.partitions());
      return;
    } catch (OffsetOutOfRangeException e) {
      resetOutOfRange(e.offsetOutOfRangePartitions());
      return;
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      if (ConsumerFailureClass.of(e) != ConsumerFailureClass.RETRYABLE) {
        throw e;
      }
      LOG.warn("polling usage failed, retrying: {}", e.getMessage());
      backOff();
      return;
    }
    if (records.isEmpty()) {
      return;
    }
    commit(records);
  }

  /**
   * Commits the poll one partition per transaction, several at once: a key's events all sit on one
   * partition, so the transactions touch disjoint rows. A partition whose commit failed is sought
   * back to its stored offset and read again after a pause; the others stay committed.
   */
  private void commit(ConsumerRecords<byte[], byte[]> records) {
    BatchSpan span =
        BatchSpan.start(tracer, settings.group(), records.count(), records.partitions().size());
    Map<TopicPartition, Future<CommitResult>> commits = new LinkedHashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
      // Decoding runs on the commit threads too: it is most of the work this process does.
      commits.put(
          partition,
          commitExecutor.submit(() -> timedCommit(batchOf(partition, partitionRecords))));
    }
    RuntimeException fatal = null;
    boolean retry = false;
    for (Map.Entry<TopicPartition, Future<CommitResult>> commit : commits.entrySet()) {
      try {
        CommitResult result = commit.getValue().get();
        eventsCounted.increment(result.counted());
        duplicates.increment(result.duplicates());
        span.committed(result);
        listener.committed(result);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof StoreFailure failure && failure.retryable()) {
          retries.increment();
          span.retried();
          LOG.warn(
              "committing {} failed, reading it again: {}", commit.getKey(), cause.getMessage());
          unpositioned.add(commit.getKey());
          // Its position is past the failed batch: fetch nothing more until it is sought back.
          consumer.pause(List.of(commit.getKey()));
          retry = true;
        } else if (fatal == null) {
          fatal =
              cause instanceof RuntimeException runtime
                  ? runtime
                  : new IllegalStateException(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        span.end(null);
        throw new InterruptException(e);
      }
    }
    span.end(fatal);
    if (fatal != null) {
      throw fatal;
    }
    if (retry) {
      backOff();
    } else {
      backoff.reset();
    }
  }

  private UsageBatch batchOf(
      TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
    List<UsageEvent> events = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      UsageEvent event = UsageEventReader.read(record);
      if (event != null) {
        events.add(event);
      }
    }
    eventsRead.increment(records.size());
    skipped.increment(records.size() - events.size());
    long next = records.get(records.size() - 1).offset() + 1;
    return new UsageBatch(
        events, List.of(new PartitionOffset(partition.topic(), partition.partition(), next)));
  }

  private CommitResult timedCommit(UsageBatch batch) {
    long start = System.nanoTime();
    try {
      return store.commit(settings.group(), batch);
    } finally {
      commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private boolean seekToStored(Collection<TopicPartition> partitions) {
    Map<Integer, Long> stored;
    try {
      stored =
          store.storedOffsets(
              settings.group(),
              settings.topic(),
              partitions.stream().map(TopicPartition::partition).toList());
    } catch (StoreFailure e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.warn("cannot read stored offsets of {}, retrying: {}", partitions, e.getMessage());
      unpositioned.addAll(partitions);
      consumer.pause(partitions);
      return false;
    }
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      Long offset = stored.get(partition.partition());
      if (offset == null) {
        fresh.add(partition);
      } else {
        consumer.seek(partition, offset);
      }
      unpositioned.remove(partition);
    }
    if (!fresh.isEmpty()) {
      resetPosition(fresh);
    }
    consumer.resume(partitions);
    backoff.reset();
    return true;
  }

  private void resetOutOfRange(Map<TopicPartition, Long> outOfRange) {
    // The log no longer holds the stored position (retention, or the topic was recreated): those
    // events are gone, and the only choice left is where to go on. Say so loudly.
    offsetResets.increment(outOfRange.size());
    LOG.error(
        "stored usage offsets {} are outside the log; resetting to the {} (events in between are"
            + " not counted)",
        outOfRange,
        settings.resetToEarliest() ? "beginning" : "end");
    resetPosition(outOfRange.keySet());
  }

  private void resetPosition(Collection<TopicPartition> partitions) {
    if (settings.resetToEarliest()) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
  }

  private void backOff() {
    try {
      stopping.await(backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  @Override
  public void close() {
    stopping.countDown();
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        LOG.warn("usage consumer did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Seeks newly assigned partitions to the positions stored with the aggregates. */
  private final class StoredOffsetSeeker implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = true;
      if (!partitions.isEmpty()) {
        LOG.info("assigned usage partitions {}", partitions);
        seekToStored(partitions);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Nothing is in flight between polls: every batch is committed before the next poll.
      unpositioned.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      unpositioned.removeAll(partitions);
    }
  }
}
