package dev.turnpike.gateway.config;

import com.fasterxml.jackson.databind.ObjectReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Decodes runs of a record map's entries on a pool, each from its byte range of the snapshot file
 * (positional reads, so the threads share the channel), and merges them into their maps in file
 * order on the calling thread: a key a map repeats ends as its last value, as a sequential read
 * leaves it.
 */
final class RunDecoder {
  private final FileChannel channel;
  private final ExecutorService pool;
  private final int inFlight;
  // Runs decoding, in file order; a bounded number, which bounds the bytes held at once.
  private final ArrayDeque<Run<?>> running = new ArrayDeque<>();

  /**
   * @param inFlight how many runs may be decoding or decoded and not yet merged
   */
  RunDecoder(FileChannel channel, ExecutorService pool, int inFlight) {
    this.channel = channel;
    this.pool = pool;
    this.inFlight = inFlight;
  }

  /**
   * Decodes the entries between {@code start} and {@code end} (after a map's first run, starting
   * with the comma that ends the previous run) with {@code reader}, a map reader, into {@code
   * target}; an empty range is nothing to decode.
   */
  <T> void submit(Map<String, T> target, ObjectReader reader, long start, long end)
      throws IOException {
    if (start == end) {
      return;
    }
    while (running.size() >= inFlight) {
      mergeOldest();
    }
    Future<Map<String, T>> decoded = pool.submit(() -> decode(reader, start, end));
    running.add(new Run<>(target, decoded));
  }

  /** Waits for every run submitted and merges it. */
  void mergeAll() throws IOException {
    while (!running.isEmpty()) {
      mergeOldest();
    }
  }

  private void mergeOldest() throws IOException {
    Run<?> run = running.poll();
    try {
      run.merge();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the snapshot", e);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException runtime -> throw runtime;
        default -> throw new IOException(e.getCause());
      }
    }
  }

  /**
   * A run, {@code "k":{...},"k2":{...}}, decoded as the map it would be between braces. A range
   * that does not start and end between entries (an index pointing into a record) is not such a
   * map: one of its records or keys is cut, and the reader refuses it as malformed JSON.
   */
  private <T> Map<String, T> decode(ObjectReader reader, long start, long end) throws IOException {
    long length = end - start;
    if (length > Integer.MAX_VALUE - 2) {
      throw new IOException("a run of " + length + " bytes is too long");
    }
    byte[] bytes = new byte[(int) length + 2];
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, (int) length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, start + buffer.position() - 1) < 0) {
        throw new EOFException("the snapshot file ended at " + (start + buffer.position() - 1));
      }
    }
    bytes[0] = '{';
    bytes[bytes.length - 1] = '}';
    for (int i = 1; i < bytes.length - 1; i++) {
      byte b = bytes[i];
      if (b == ',') {
        bytes[i] = ' ';
        break;
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
    }
    return reader.readValue(bytes);
  }

  private record Run<T>(Map<String, T> target, Future<Map<String, T>> decoded) {
    void merge() throws InterruptedException, ExecutionException {
      target.putAll(decoded.get());
    }
  }
}
