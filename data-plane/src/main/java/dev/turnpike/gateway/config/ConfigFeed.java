package dev.turnpike.gateway.config;

import dev.turnpike.contracts.json.ContractDecodingException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a gateway node's configuration in step with the compacted config topics.
 *
 * <p>One dedicated thread owns a {@link KafkaConsumer} that is assigned every partition of the
 * config topics (no consumer group, no commits) and reads them from the beginning. Every state it
 * hands to the listener is complete, never a half-read log:
 *
 * <ol>
 *   <li>the {@link SnapshotFile snapshot file}, at once on start, if it exists and parses;
 *   <li>the state read from Kafka, once caught up, i.e. once every partition's position reached the
 *       end offset it had when the feed first saw it (an empty topic, or one that does not exist
 *       yet, is caught up at once);
 *   <li>after that, a new state after every poll batch that changed something.
 * </ol>
 *
 * The listener runs on the feed thread, so it should compile the state and swap it into an {@code
 * AtomicReference} rather than block; requests in flight keep the state they started with. A
 * listener that throws is logged and the feed goes on.
 *
 * <p><b>Ready</b> ({@link #ready()}, {@link #firstReady()}, {@code turnpike_config_ready}) turns
 * true once, and then stays true until {@link #close()}, when either
 *
 * <ul>
 *   <li>the feed has caught up with Kafka (the listener has the Kafka state by then), or
 *   <li>the feed published a snapshot file and has not caught up within {@code coldStartGrace} of
 *       starting, whether Kafka is unreachable or just slow: the last good configuration is better
 *       than none. The Kafka state replaces it when the feed catches up.
 * </ul>
 *
 * Without a usable snapshot file the node is not ready until Kafka answers and it has caught up.
 * Readiness does not drop when Kafka goes away later: the node keeps serving the state it has.
 *
 * <p><b>Kafka unreachable</b>: the feed never throws to its caller; it retries on its own thread
 * with exponential backoff (200 ms up to 5 s), logging the first failure of a streak as a WARN.
 *
 * <p><b>Why a cold-started node still reads from the beginning</b> rather than from the positions
 * saved in the snapshot file: the topics are compacted, so the whole log is about one record per
 * key and cheap to reread; and compaction drops tombstones after {@code delete.retention.ms}, so a
 * node that resumed from old positions could miss a deletion forever (a deleted key staying
 * usable). Rereading also survives a topic that was recreated with fresh offsets.
 *
 * <p><b>Snapshot file</b>: written only once caught up (a half-read state is never persisted), at
 * most once per {@code snapshotInterval}, and on close; by a {@link SnapshotWriter} on a thread of
 * its own, so a write (tens of seconds at SaaS scale) never holds up the changes after it.
 *
 * <p><b>Until caught up</b> the poll batches are decoded on a {@link ColdStartDecoder} pool and
 * applied in order on the feed thread; the pool ends once caught up.
 *
 * <p><b>Metrics</b> are registered on start and removed on close; give each feed alive at the same
 * time a registry of its own.
 */
public final class ConfigFeed implements AutoCloseable {
  /** The name of the feed thread, as it shows in thread dumps. */
  public static final String THREAD_NAME = "turnpike-config-feed";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigFeed.class);
  private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration THREAD_STOP_TIMEOUT = Duration.ofSeconds(10);
  // Below THREAD_STOP_TIMEOUT, so close() sees the feed thread end; a longer write finishes on its
  // own thread, the previous file intact until its rename.
  private static final Duration SNAPSHOT_CLOSE_TIMEOUT = Duration.ofSeconds(8);

  private final ConfigFeedConfig config;
  private final ConfigListener listener;
  private final SnapshotFile snapshotFile;
  private final SnapshotWriter snapshotWriter;
  private final SnapshotSchedule snapshotSchedule;
  private final ConfigFeedMetrics metrics;
  private final Thread thread;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> firstReady = new CompletableFuture<>();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile ConfigState published = ConfigState.empty();
  private volatile boolean ready;

  // Owned by the feed thread.
  private final TopicAssignment assignment;
  private final Map<TopicPartition, Long> catchUpTargets = new HashMap<>();
  private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
  private WorkingConfig working;
  // Decodes poll batches on a pool until caught up; null after.
  private ColdStartDecoder coldStartDecoder;
  private boolean caughtUp;
  private boolean startedFromSnapshot;
  private long graceDeadlineNanos;
  private boolean failing;

  private ConfigFeed(
      ConfigFeedConfig config,
      ConfigListener listener,
      MeterRegistry registry,
      UnaryOperator<OutputStream> snapshotStreams) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.snapshotFile = new SnapshotFile(config.snapshotFile(), snapshotStreams);
    this.snapshotWriter = new SnapshotWriter(snapshotFile);
    this.snapshotSchedule = new SnapshotSchedule(snapshotWriter, config.snapshotInterval());
    this.metrics =
        new ConfigFeedMetrics(Objects.requireNonNull(registry, "registry"), config.topics());
    this.assignment = new TopicAssignment(config.topics().all(), config.topicRefreshInterval());
    this.thread = new Thread(this::run, THREAD_NAME);
    this.thread.setDaemon(true);
  }

  /**
   * Starts the feed thread and returns at once; the first state reaches {@code listener} on that
   * thread.
   */
  public static ConfigFeed start(
      ConfigFeedConfig config, ConfigListener listener, MeterRegistry registry) {
    return start(config, listener, registry, UnaryOperator.identity());
  }

  /**
   * @param snapshotStreams wraps the stream the snapshot file is written through; tests stall it
   */
  static ConfigFeed start(
      ConfigFeedConfig config,
      ConfigListener listener,
      MeterRegistry registry,
      UnaryOperator<OutputStream> snapshotStreams) {
    ConfigFeed feed = new ConfigFeed(config, listener, registry, snapshotStreams);
    feed.thread.start();
    return feed;
  }

  /** {@link #start(ConfigFeedConfig, ConfigListener, MeterRegistry)} for a listener of states. */
  public static ConfigFeed start(
      ConfigFeedConfig config, Consumer<ConfigState> listener, MeterRegistry registry) {
    Objects.requireNonNull(listener, "listener");
    return start(config, (state, changes) -> listener.accept(state), registry);
  }

  /** Whether the node may serve: see the class comment for the rule. False once closed. */
  public boolean ready() {
    return ready && !closed.get();
  }

  /**
   * Completes when the feed first becomes ready, on the feed thread (chain with an {@code *Async}
   * stage or hop onto an event loop before doing real work); fails if the feed is closed first.
   */
  public CompletableFuture<Void> firstReady() {
    return firstReady.copy();
  }

  /** The state last handed to the listener; {@link ConfigState#empty()} before the first. */
  public ConfigState state() {
    return published;
  }

  /**
   * Stops the feed thread, waiting for it; it writes the snapshot file first if it has caught up
   * and holds changes not saved yet. Never call it from the listener and expect it to wait.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopRequested.countDown();
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (Thread.currentThread() != thread) {
      try {
        if (!thread.join(THREAD_STOP_TIMEOUT)) {
          LOG.warn("Config feed thread did not stop within {}", THREAD_STOP_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.close();
    firstReady.completeExceptionally(
        new IllegalStateException("config feed closed before it was ready"));
  }

  private void run() {
    long startNanos = System.nanoTime();
    graceDeadlineNanos = startNanos + config.coldStartGrace().toNanos();
    working = new WorkingConfig(config.topics(), publishSnapshotFile());
    coldStartDecoder = ColdStartDecoder.forThisMachine();
    try {
      while (!stopping()) {
        try {
          step();
          if (failing) {
            failing = false;
            LOG.info("Config feed reaches Kafka again");
          }
          backoff.reset();
        } catch (WakeupException e) {
          // close() woke the consumer; the loop condition ends the loop.
        } catch (RuntimeException e) {
          retryLater(e);
        }
        startServingSnapshotAfterGrace();
        saveSnapshotIfDue(false);
      }
    } finally {
      closeColdStartDecoder();
      saveSnapshotIfDue(true);
      closeConsumer();
      // The last state is written before the thread ends, as close() promises.
      snapshotWriter.close(SNAPSHOT_CLOSE_TIMEOUT);
    }
  }

  /** Publishes the snapshot file if usable; returns its version, or 0 without one. */
  private long publishSnapshotFile() {
    Optional<ConfigState> saved = snapshotFile.load();
    if (saved.isEmpty()) {
      return 0;
    }
    ConfigState state = saved.get();
    LOG.info(
        "Config from snapshot file {}: version {}, {} records",
        snapshotFile.path(),
        state.version(),
        state.size());
    startedFromSnapshot = true;
    publish(state, ConfigChanges.everything());
    return state.version();
  }

  private void step() {
    KafkaConsumer<String, byte[]> current = consumer;
    if (current == null) {
      current = newConsumer();
      consumer = current;
      // close() may have looked for the consumer just before it was set; do not block then.
      if (stopping()) {
        return;
      }
    }
    long now = System.nanoTime();
    if (assignment.lookupDue(now)) {
      Map<TopicPartition, Long> targets =
          assignment.assignNewPartitions(current, boundedByGrace(KAFKA_CALL_TIMEOUT), now);
      if (!caughtUp) {
        catchUpTargets.putAll(targets);
        LOG.info(
            "Config feed reading {} partitions from the beginning; topics not created yet: {}",
            current.assignment().size(),
            assignment.missingTopics());
        checkCaughtUp();
      }
    }
    if (!assignment.answered()) {
      return;
    }
    if (current.assignment().isEmpty()) {
      // No config topic exists yet; poll() refuses an empty assignment, so wait for the next look.
      waitUnlessStopping(config.pollTimeout());
    } else {
      poll(current);
    }
  }

  private void poll(KafkaConsumer<String, byte[]> current) {
    ConsumerRecords<String, byte[]> records = current.poll(boundedByGrace(config.pollTimeout()));
    boolean changed = false;
    if (coldStartDecoder != null && !records.isEmpty()) {
      changed = applyDecoded(records, coldStartDecoder.decode(working, records));
    } else {
      for (ConsumerRecord<String, byte[]> record : records) {
        try {
          changed |= working.apply(record);
        } catch (ContractDecodingException e) {
          skip(record, e);
        }
      }
    }
    if (updatePositions(current) || changed) {
      snapshotSchedule.changed();
    }
    if (!caughtUp) {
      checkCaughtUp();
    } else if (changed) {
      publish(working.freeze(), working.lastChanges());
    }
  }

  /** Applies a batch the cold-start decoder decoded, in the records' order. */
  private boolean applyDecoded(ConsumerRecords<String, byte[]> records, List<Object> decoded) {
    boolean changed = false;
    int i = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      Object result = decoded.get(i++);
      if (result instanceof WorkingConfig.Decoded<?> value) {
        changed |= value.apply();
      } else if (result instanceof ContractDecodingException e) {
        skip(record, e);
      } else {
        throw (RuntimeException) result;
      }
    }
    return changed;
  }

  private void skip(ConsumerRecord<String, byte[]> record, ContractDecodingException e) {
    metrics.decodeError(record.topic());
    LOG.warn(
        "Skipping config record topic={} partition={} offset={}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        e.getMessage());
  }

  /** Reads every assigned partition's position without blocking, and the lag with it. */
  private boolean updatePositions(KafkaConsumer<String, byte[]> current) {
    boolean moved = false;
    long lag = 0;
    for (TopicPartition partition : current.assignment()) {
      try {
        moved |= working.position(partition, current.position(partition, Duration.ZERO));
      } catch (TimeoutException e) {
        // Position not known yet (the reset to the beginning is still in flight).
      }
      OptionalLong partitionLag = currentLag(current, partition);
      Long position = working.positionOf(partition);
      Long target = catchUpTargets.get(partition);
      if (partitionLag.isPresent()) {
        lag += partitionLag.getAsLong();
      } else if (target != null) {
        lag += Math.max(0, target - (position == null ? 0 : position));
      }
    }
    metrics.lag(lag);
    return moved;
  }

  /** The lag the last fetch response implies; empty until a fetch of the partition returned. */
  private static OptionalLong currentLag(
      KafkaConsumer<String, byte[]> current, TopicPartition partition) {
    try {
      return current.currentLag(partition);
    } catch (TimeoutException e) {
      // currentLag asks for the end offset without waiting when it does not know it yet.
      return OptionalLong.empty();
    }
  }

  private void checkCaughtUp() {
    catchUpTargets
        .entrySet()
        .removeIf(
            e -> {
              Long position = working.positionOf(e.getKey());
              return position != null && position >= e.getValue();
            });
    if (catchUpTargets.isEmpty() && assignment.answered()) {
      caughtUp = true;
      closeColdStartDecoder();
      snapshotSchedule.changed();
      ConfigState state = working.freezeWhole();
      LOG.info("Config feed caught up: version {}, {} records", state.version(), state.size());
      // The listener may hold the snapshot file's state, which the Kafka state replaces whole.
      publish(state, ConfigChanges.everything());
      becomeReady("caught up with Kafka");
    }
  }

  private void closeColdStartDecoder() {
    if (coldStartDecoder != null) {
      coldStartDecoder.close();
      coldStartDecoder = null;
    }
  }

  private void startServingSnapshotAfterGrace() {
    if (!ready && startedFromSnapshot && System.nanoTime() - graceDeadlineNanos >= 0) {
      becomeReady(
          "serving the snapshot file: not caught up with Kafka within " + config.coldStartGrace());
    }
  }

  private void becomeReady(String why) {
    if (ready) {
      return;
    }
    ready = true;
    metrics.ready(true);
    LOG.info("Config feed ready: {}", why);
    firstReady.complete(null);
  }

  private void publish(ConfigState state, ConfigChanges changes) {
    published = state;
    metrics.applied(state.version(), System.currentTimeMillis());
    try {
      listener.accept(state, changes);
    } catch (RuntimeException e) {
      LOG.error("Config listener failed on version {}", state.version(), e);
    }
  }

  private void saveSnapshotIfDue(boolean closing) {
    if (caughtUp) {
      snapshotSchedule.saveIfDue(() -> published.withPositions(working.positions()), closing);
    }
  }

  private void retryLater(RuntimeException e) {
    Duration wait = boundedByGrace(backoff.next());
    if (!failing) {
      failing = true;
      LOG.warn("Config feed cannot read Kafka ({}); retrying with backoff", e.toString(), e);
    } else {
      LOG.debug("Config feed still cannot read Kafka; retrying in {}", wait, e);
    }
    waitUnlessStopping(wait);
  }

  private void waitUnlessStopping(Duration wait) {
    try {
      stopRequested.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Only the owner of the process interrupts this thread: take it as a request to stop.
      stopRequested.countDown();
    }
  }

  /**
   * Shortens a wait so it ends by the cold-start grace deadline while that deadline still matters,
   * so readiness from the snapshot file is not late by a Kafka timeout.
   */
  private Duration boundedByGrace(Duration wait) {
    if (ready || !startedFromSnapshot) {
      return wait;
    }
    long remaining = graceDeadlineNanos - System.nanoTime();
    return remaining <= 0 ? wait : Duration.ofNanos(Math.min(wait.toNanos(), remaining));
  }

  private boolean stopping() {
    return stopRequested.getCount() == 0;
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    return new KafkaConsumer<>(
        config.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void closeConsumer() {
    KafkaConsumer<String, byte[]> current = consumer;
    if (current == null) {
      return;
    }
    try {
      current.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      LOG.debug("Config feed consumer did not close cleanly", e);
    }
  }
}
