package dev.turnpike.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import dev.turnpike.contracts.quota.QuotaState;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last good {@link ConfigState} on local disk, so a node can start serving while Kafka is
 * unreachable.
 *
 * <p>A save never leaves a half-written file behind: the JSON is streamed to a temporary file
 * beside the target, is fsynced, and replaces the target with an atomic rename; the directory is
 * fsynced too so the rename survives a power cut. A file that cannot be read, does not parse, or
 * holds a record newer than this node understands is logged and ignored: the node then waits for
 * Kafka, which is safer than serving a guess.
 *
 * <p>A load decodes the records on a pool of threads that exists only during it ({@link
 * SnapshotReader}). The file is one JSON document ({@link Document}); format 2 (written since the
 * index existed) ends with an index of where runs of each record map's entries lie ({@link
 * SnapshotIndex}, written by {@link SnapshotEncoder}), so the pool is handed byte ranges instead of
 * the feed thread skimming the file for them. Format 1 files, written before, still load (skimmed);
 * a format 2 file cut short has lost its index and is refused. A node older than format 2 refuses a
 * format 2 file as too new and waits for Kafka.
 *
 * <p>The file records the Kafka positions the state was read up to, for operators comparing nodes;
 * the feed still reads the topics from their beginning (see {@link ConfigFeed}).
 */
public final class SnapshotFile {
  /**
   * The layout of the file itself, what a save writes; the contract records inside carry their own
   * versions.
   */
  static final int FORMAT = 2;

  /** The layout before the index: the same document without it, still read. */
  static final int FORMAT_1 = 1;

  private static final int BUFFER_BYTES = 1 << 16;
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);
  private static final ObjectReader READER =
      JsonCodec.mapper()
          .readerFor(Document.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  // Runs of entries a decode task takes: about 700 KB of a SaaS-scale file's keys, enough to
  // outweigh handing it over, small enough that a few per thread in flight bound the bytes held.
  private static final int CHUNK_RECORDS = 2_000;

  private final Path path;
  private final Path temporary;
  private final UnaryOperator<OutputStream> streams;
  private final int decodeThreads;
  private final int chunkRecords;
  private final SnapshotEncoder encoder;

  public SnapshotFile(Path path) {
    this(path, UnaryOperator.identity());
  }

  /**
   * @param streams wraps the stream each save writes the temporary file through; tests use it to
   *     fail or stall a write midway
   */
  SnapshotFile(Path path, UnaryOperator<OutputStream> streams) {
    // One thread per core, at most 8, as the Kafka cold start's decoder.
    this(path, streams, Math.min(8, Runtime.getRuntime().availableProcessors()), CHUNK_RECORDS);
  }

  /**
   * @param decodeThreads how many threads a {@link #load} decodes the records on; 1 decodes them on
   *     the calling thread as one document
   * @param chunkRecords how many records one decode task takes, and a run of the index a save
   *     writes holds
   */
  SnapshotFile(
      Path path, UnaryOperator<OutputStream> streams, int decodeThreads, int chunkRecords) {
    if (decodeThreads < 1) {
      throw new IllegalArgumentException("decodeThreads must be >= 1, got " + decodeThreads);
    }
    this.path = path.toAbsolutePath();
    this.temporary = this.path.resolveSibling(this.path.getFileName() + ".tmp");
    this.streams = streams;
    this.decodeThreads = decodeThreads;
    this.chunkRecords = chunkRecords;
    this.encoder = new SnapshotEncoder(chunkRecords);
  }

  public Path path() {
    return path;
  }

  /** The saved state, or empty when there is none or it cannot be trusted (logged as a WARN). */
  public Optional<ConfigState> load() {
    // Streamed: a SaaS-scale file is hundreds of MB, and reading it whole into one array first
    // doubled the heap the load needs and made it slower than the compile after it.
    InputStream in;
    try {
      in = Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      LOG.info("No config snapshot file at {}", path);
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("Ignoring config snapshot file {}: cannot read it", path, e);
      return Optional.empty();
    }
    try (InputStream buffered = new BufferedInputStream(in, BUFFER_BYTES)) {
      Document document =
          decodeThreads == 1
              ? READER.<Document>readValue(buffered)
              : new SnapshotReader(decodeThreads, chunkRecords).read(path, buffered);
      return Optional.of(document.toState());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Ignoring config snapshot file {} (the node waits for Kafka instead): {}",
          path,
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Replaces the file with {@code state} (format 2), atomically and durably. The JSON is streamed
   * to the temporary file as it is written, never held whole in memory; a write that fails (or a
   * process that dies) midway leaves the previous file as it was.
   */
  public void save(ConfigState state) throws IOException {
    Files.createDirectories(path.getParent());
    try {
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        try (OutputStream out =
            new BufferedOutputStream(
                streams.apply(nonClosing(Channels.newOutputStream(channel))), BUFFER_BYTES)) {
          encoder.write(out, state, Instant.now());
        }
        channel.force(true);
      }
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    syncDirectory();
  }

  /** The channel is forced after the JSON is written, so closing the stream must not close it. */
  private static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for syncing; the rename is then as durable as the
      // file system makes it on its own.
      LOG.debug("Cannot fsync directory {}", path.getParent(), e);
    }
  }

  /** A Kafka position, spelled out because TopicPartition has no JSON form. */
  record Position(String topic, int partition, long offset) {}

  /**
   * The file's JSON, in both formats; format 2's index fields follow these and are read by {@link
   * SnapshotIndex}.
   */
  record Document(
      int format,
      Instant savedAt,
      long version,
      List<Position> positions,
      Map<String, DeploymentSnapshot> deployments,
      Map<String, KeyRecord> keysByHash,
      Map<String, PlanRecord> plans,
      Map<String, QuotaState> quotaStates,
      Map<String, DomainRecord> domains) {

    static Document of(ConfigState state, Instant savedAt) {
      List<Position> positions =
          state.positions().entrySet().stream()
              .map(e -> new Position(e.getKey().topic(), e.getKey().partition(), e.getValue()))
              .sorted(Comparator.comparing(Position::topic).thenComparingInt(Position::partition))
              .toList();
      return new Document(
          FORMAT,
          savedAt,
          state.version(),
          positions,
          state.deployments(),
          state.keysByHash(),
          state.plans(),
          state.quotaStates(),
          state.domains());
    }

    ConfigState toState() {
      if (format != FORMAT && format != FORMAT_1) {
        throw new IllegalArgumentException(
            "file format "
                + format
                + " is not supported (this node knows "
                + FORMAT_1
                + " and "
                + FORMAT
                + ")");
      }
      requireRecords("deployments", deployments, DeploymentSnapshot.SCHEMA_VERSION);
      requireRecords("keysByHash", keysByHash, KeyRecord.SCHEMA_VERSION);
      requireRecords("plans", plans, PlanRecord.SCHEMA_VERSION);
      requireRecords("quotaStates", quotaStates, QuotaState.SCHEMA_VERSION);
      // Files written before custom domains existed have none.
      Map<String, DomainRecord> domainRecords = domains == null ? Map.of() : domains;
      requireRecords("domains", domainRecords, DomainRecord.SCHEMA_VERSION);
      if (positions == null) {
        throw new IllegalArgumentException("positions are missing");
      }
      Map<TopicPartition, Long> offsets = new HashMap<>();
      for (Position p : positions) {
        if (p == null || p.topic() == null || p.partition() < 0 || p.offset() < 0) {
          throw new IllegalArgumentException("invalid position " + p);
        }
        offsets.put(new TopicPartition(p.topic(), p.partition()), p.offset());
      }
      return new ConfigState(
          version, deployments, keysByHash, plans, quotaStates, domainRecords, offsets);
    }

    private static void requireRecords(
        String name, Map<String, ? extends Versioned> records, int supportedVersion) {
      if (records == null) {
        throw new IllegalArgumentException(name + " are missing");
      }
      records.forEach(
          (key, value) -> {
            if (value == null) {
              throw new IllegalArgumentException(name + " entry " + key + " is null");
            }
            if (value.schemaVersion() < 1 || value.schemaVersion() > supportedVersion) {
              throw new IllegalArgumentException(
                  name
                      + " entry "
                      + key
                      + " has schemaVersion "
                      + value.schemaVersion()
                      + " (this node knows 1.."
                      + supportedVersion
                      + ")");
            }
          });
    }
  }
}
