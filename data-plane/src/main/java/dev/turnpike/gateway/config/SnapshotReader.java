package dev.turnpike.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.quota.QuotaState;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a snapshot file's record maps on a bounded pool beside the calling (feed) thread: at SaaS
 * scale the file holds two million records, and binding their JSON on one thread was most of a
 * snapshot start. The calling thread only skims the file, finding where each run of {@code
 * chunkRecords} entries of a map begins and ends without decoding them; a pool thread reads that
 * run's bytes back (positional reads of the same file, in the page cache by then) and decodes it;
 * the calling thread merges the runs in file order, so a key a map repeats ends as its last value,
 * as a sequential read leaves it. The pool exists only during one {@link #read}.
 *
 * <p>The file's layout is {@link SnapshotFile.Document}'s, unchanged: files written before this
 * reader existed load as they did.
 */
final class SnapshotReader {
  /** How the pool's threads show in thread dumps. */
  static final String THREAD_NAME_PREFIX = "turnpike-snapshot-decode-";

  private static final ObjectMapper MAPPER = JsonCodec.mapper();
  private static final TypeReference<List<SnapshotFile.Position>> POSITIONS =
      new TypeReference<>() {};

  private final int threads;
  private final int chunkRecords;

  /**
   * @param threads the pool's size, at least 1
   * @param chunkRecords how many entries one pool task decodes
   */
  SnapshotReader(int threads, int chunkRecords) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (chunkRecords < 1) {
      throw new IllegalArgumentException("chunkRecords must be >= 1, got " + chunkRecords);
    }
    this.threads = threads;
    this.chunkRecords = chunkRecords;
  }

  /**
   * The document {@code in} (the file at {@code path}, from its first byte) holds.
   *
   * @throws IOException if the file cannot be read or is not well-formed JSON (truncated, trailing
   *     garbage)
   * @throws IllegalArgumentException if it is JSON but not a snapshot this node can use
   */
  SnapshotFile.Document read(Path path, InputStream in) throws IOException {
    AtomicInteger threadIndex = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, THREAD_NAME_PREFIX + threadIndex.getAndIncrement());
              thread.setDaemon(true);
              return thread;
            });
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        JsonParser parser = MAPPER.createParser(in)) {
      return new Skim(parser, channel, pool).document();
    } finally {
      pool.shutdownNow();
    }
  }

  /** One read: the calling thread's skim of the file, and the runs it handed to the pool. */
  private final class Skim {
    private final JsonParser parser;
    private final FileChannel channel;
    private final ExecutorService pool;
    // Runs decoding, in file order; at most two per thread, which bounds the bytes held at once.
    private final ArrayDeque<Run<?>> running = new ArrayDeque<>();

    Skim(JsonParser parser, FileChannel channel, ExecutorService pool) {
      this.parser = parser;
      this.channel = channel;
      this.pool = pool;
    }

    SnapshotFile.Document document() throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      int format = 0;
      Instant savedAt = null;
      long version = 0;
      List<SnapshotFile.Position> positions = null;
      Map<String, DeploymentSnapshot> deployments = null;
      Map<String, KeyRecord> keysByHash = null;
      Map<String, PlanRecord> plans = null;
      Map<String, QuotaState> quotaStates = null;
      Map<String, DomainRecord> domains = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "format" -> {
            format = value == JsonToken.VALUE_NULL ? 0 : parser.getValueAsInt();
            // Before any record: a file of another layout would only fail later, less clearly.
            if (format != SnapshotFile.FORMAT) {
              throw new IllegalArgumentException(
                  "file format "
                      + format
                      + " is not supported (this node knows "
                      + SnapshotFile.FORMAT
                      + ")");
            }
          }
          case "savedAt" -> savedAt = parser.readValueAs(Instant.class);
          case "version" -> version = value == JsonToken.VALUE_NULL ? 0 : parser.getValueAsLong();
          case "positions" -> positions = parser.readValueAs(POSITIONS);
          case "deployments" -> deployments = section(field, DeploymentSnapshot.class);
          case "keysByHash" -> keysByHash = section(field, KeyRecord.class);
          case "plans" -> plans = section(field, PlanRecord.class);
          case "quotaStates" -> quotaStates = section(field, QuotaState.class);
          case "domains" -> domains = section(field, DomainRecord.class);
          default -> parser.skipChildren(); // unknown fields are ignored, as the mapper does
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing content after the snapshot");
      }
      while (!running.isEmpty()) {
        mergeOldest();
      }
      return new SnapshotFile.Document(
          format,
          savedAt,
          version,
          positions,
          deployments,
          keysByHash,
          plans,
          quotaStates,
          domains);
    }

    /**
     * Skims one record map, handing each run of entries to the pool; the map fills as the runs are
     * merged. Null when the file's map is null, which the document refuses.
     */
    private <T> Map<String, T> section(String name, Class<T> type) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(name + " is not a map");
      }
      Map<String, T> target = new HashMap<>();
      ObjectReader reader =
          MAPPER
              .readerFor(
                  MAPPER.getTypeFactory().constructMapType(HashMap.class, String.class, type))
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      long runStart = parser.currentLocation().getByteOffset();
      long end = runStart;
      int entries = 0;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        JsonToken value = parser.nextToken();
        if (value != JsonToken.START_OBJECT) {
          throw new IllegalArgumentException(
              name
                  + " entry "
                  + parser.currentName()
                  + (value == JsonToken.VALUE_NULL ? " is null" : " is not a record"));
        }
        parser.skipChildren();
        end = parser.currentLocation().getByteOffset();
        if (++entries == chunkRecords) {
          submit(target, reader, runStart, end);
          runStart = end;
          entries = 0;
        }
      }
      if (entries > 0) {
        submit(target, reader, runStart, end);
      }
      return target;
    }

    private <T> void submit(Map<String, T> target, ObjectReader reader, long start, long end)
        throws IOException {
      while (running.size() >= 2 * threads) {
        mergeOldest();
      }
      Future<Map<String, T>> decoded = pool.submit(() -> decodeRun(reader, start, end));
      running.add(new Run<>(target, decoded));
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
     * A run of entries, {@code "k":{...},"k2":{...}} between two byte offsets (after the first, it
     * starts with the comma that follows the previous run), decoded as the map it would be between
     * braces.
     */
    private <T> Map<String, T> decodeRun(ObjectReader reader, long start, long end)
        throws IOException {
      long length = end - start;
      if (length > Integer.MAX_VALUE - 2) {
        throw new IOException("a run of " + length + " bytes is too long");
      }
      byte[] bytes = new byte[(int) length + 2];
      ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, (int) length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, start + buffer.position() - 1) < 0) {
          throw new EOFException("the file ended while being read");
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
  }

  private record Run<T>(Map<String, T> target, Future<Map<String, T>> decoded) {
    void merge() throws InterruptedException, ExecutionException {
      target.putAll(decoded.get());
    }
  }
}
