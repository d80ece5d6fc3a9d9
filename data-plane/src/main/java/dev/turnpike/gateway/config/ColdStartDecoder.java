package dev.turnpike.gateway.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Decodes the poll batches of a cold start on a bounded pool beside the feed thread: at SaaS scale
 * the feed reads two million records before it is ready, and decoding their JSON was most of its
 * own work. Records are independent until applied, so they are decoded in parallel and applied in
 * their order on the feed thread, which is what a sequential read does. The pool exists only until
 * the feed has caught up ({@link #close}); after that a change is a few records and is decoded on
 * the feed thread.
 */
final class ColdStartDecoder implements AutoCloseable {
  // Below this a batch is decoded on the feed thread: handing it over would cost more.
  private static final int PARALLEL_MIN_RECORDS = 64;

  /** How the pool's threads show in thread dumps. */
  static final String THREAD_NAME_PREFIX = "turnpike-config-decode-";

  private final ForkJoinPool pool;

  /**
   * @param threads the pool's parallelism; 1 decodes on the calling thread alone
   */
  ColdStartDecoder(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.pool =
        threads == 1
            ? null
            : new ForkJoinPool(
                threads,
                p -> {
                  ForkJoinWorkerThread thread =
                      ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                  thread.setName(THREAD_NAME_PREFIX + thread.getPoolIndex());
                  return thread;
                },
                null,
                false);
  }

  /** One thread per core, at most 8: the feed thread applies what they decode. */
  static ColdStartDecoder forThisMachine() {
    return new ColdStartDecoder(Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Each record of the batch, in order, decoded ({@link WorkingConfig.Decoded}) or the {@link
   * RuntimeException} its decoding threw.
   */
  List<Object> decode(WorkingConfig working, ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
    records.forEach(batch::add);
    Object[] decoded = new Object[batch.size()];
    if (pool == null || batch.size() < PARALLEL_MIN_RECORDS) {
      for (int i = 0; i < decoded.length; i++) {
        decoded[i] = decodeOne(working, batch.get(i));
      }
    } else {
      pool.submit(
              () ->
                  IntStream.range(0, decoded.length)
                      .parallel()
                      .forEach(i -> decoded[i] = decodeOne(working, batch.get(i))))
          .join();
    }
    return Arrays.asList(decoded);
  }

  private static Object decodeOne(WorkingConfig working, ConsumerRecord<String, byte[]> record) {
    try {
      return working.decode(record);
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
