package dev.turnpike.gateway.http;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines handed from event loops to a thread of their own through a bounded queue: an event loop
 * never waits on a terminal or a disk, and a full queue drops the line and counts it rather than
 * slowing traffic down. The thread writes whole lines only, a batch at a time in one write, so that
 * the access log and the execution log can share stdout without splitting each other's lines.
 */
final class LineWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LineWriter.class);
  private static final int BATCH_CHARS = 64 * 1024;

  /** Takes a batch of whole lines, each ending in a newline, in one write. */
  interface Output {
    void write(String lines) throws IOException;
  }

  private final BlockingQueue<String> lines;
  private final AtomicLong dropped = new AtomicLong();
  private final Output out;
  private final Thread writerThread;
  private volatile boolean running = true;

  LineWriter(String name, Output out, int queueCapacity) {
    this.lines = new ArrayBlockingQueue<>(queueCapacity);
    this.out = out;
    this.writerThread = Thread.ofPlatform().name(name).daemon().unstarted(this::drain);
    writerThread.start();
  }

  /** Writes to a {@link Writer}, flushing after each batch. */
  static Output to(Writer writer) {
    return batch -> {
      synchronized (writer) {
        writer.write(batch);
        writer.flush();
      }
    };
  }

  /** Writes to stdout, each batch in one locked write of its bytes. */
  static Output toStdout() {
    PrintStream stdout = System.out;
    return batch -> {
      byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
      stdout.write(bytes, 0, bytes.length);
      stdout.flush();
    };
  }

  /** Never blocks: the line is queued, or dropped and counted when the queue is full. */
  void offer(String line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  private void drain() {
    StringBuilder batch = new StringBuilder(BATCH_CHARS);
    try {
      while (running || !lines.isEmpty()) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        batch.append(line).append('\n');
        while (batch.length() < BATCH_CHARS && (line = lines.poll()) != null) {
          batch.append(line).append('\n');
        }
        out.write(batch.toString());
        batch.setLength(0);
      }
    } catch (IOException e) {
      LOG.error("log output failed; {} stops", writerThread.getName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      writerThread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
