package dev.turnpike.gateway.config;

import com.fasterxml.jackson.core.JsonFactory;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a snapshot file's record maps on a bounded pool beside the calling (feed) thread: at SaaS
 * scale the file holds two million records, and binding their JSON on one thread was most of a
 * snapshot start. Each map is cut into runs of entries; a pool thread reads a run's bytes back
 * (positional reads of the same file) and decodes it; the calling thread merges the runs in file
 * order ({@link RunDecoder}). The pool exists only during one {@link #read}.
 *
 * <p>A format 2 file tells where its runs lie ({@link SnapshotIndex}): the calling thread parses
 * only the document without the maps' entries ({@link SkeletonStream}), checks that each map's
 * braces lie where the index says, and hands the index's byte ranges to the pool. A format 1 file
 * (written before the index existed, e.g. by this node before an upgrade) has none: the calling
 * thread skims each map with the parser, entry by entry, to find its runs, which at SaaS scale cost
 * the feed thread more CPU than everything else in the start.
 */
final class SnapshotReader {
  /** How the pool's threads show in thread dumps. */
  static final String THREAD_NAME_PREFIX = "turnpike-snapshot-decode-";

  private static final ObjectMapper MAPPER = JsonCodec.mapper();

  // The keys' and quota states' runs are parsed without canonicalizing field names: their maps'
  // keys are field names to the parser, 2 million distinct ones at SaaS scale (key hashes, key and
  // plan ids), and adding each to the parser's shared symbol table (and interning it) was a third
  // of the decode pool's CPU. Their records hold no maps of their own, so no name is worth sharing.
  // The other maps' runs keep canonicalizing: their records' own maps (stage variables, method
  // throttles) repeat a few names across tens of thousands of records, which interning shares
  // (without it, a fifth-size start held 3 MB more).
  private static final JsonFactory UNSHARED_NAMES =
      MAPPER
          .getFactory()
          .rebuild()
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .build()
          .setCodec(MAPPER);

  private static final Set<Class<?>> WITHOUT_OWN_MAPS = Set.of(KeyRecord.class, QuotaState.class);
  private static final TypeReference<List<SnapshotFile.Position>> POSITIONS =
      new TypeReference<>() {};

  private final int threads;
  private final int chunkRecords;

  /**
   * @param threads the pool's size, at least 1
   * @param chunkRecords how many entries one pool task decodes when the file has no index
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
   *     garbage, an index pointing into a record)
   * @throws IllegalArgumentException if it is JSON but not a snapshot this node can use, or its
   *     index does not match its document
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
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      RunDecoder runs = new RunDecoder(channel, pool, 2 * threads);
      Optional<SnapshotIndex> index = SnapshotIndex.find(channel);
      if (index.isPresent()) {
        List<SnapshotIndex.Span> spans = index.get().spans();
        try (JsonParser parser = MAPPER.createParser(new SkeletonStream(channel, spans))) {
          return new Skim(parser, runs, spans).document();
        }
      }
      try (JsonParser parser = MAPPER.createParser(in)) {
        return new Skim(parser, runs, List.of()).document();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One read: the calling thread's pass over the document, and the runs it handed to the pool. */
  private final class Skim {
    private final JsonParser parser;
    private final RunDecoder runs;
    // The indexed maps not met yet, in file order; empty for a format 1 file.
    private final ArrayDeque<SnapshotIndex.Span> indexed;
    private final boolean hasIndex;
    // Bytes of the file the skeleton left out before the parser's position.
    private long leftOut;

    Skim(JsonParser parser, RunDecoder runs, List<SnapshotIndex.Span> spans) {
      this.parser = parser;
      this.runs = runs;
      this.indexed = new ArrayDeque<>(spans);
      this.hasIndex = !spans.isEmpty();
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
            requireFormat(format);
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
      if (!indexed.isEmpty()) {
        throw new IllegalArgumentException(
            "the snapshot index names " + indexed.peek().name() + ", which the document lacks");
      }
      runs.mergeAll();
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

    private void requireFormat(int format) {
      if (hasIndex ? format == SnapshotFile.FORMAT : format == SnapshotFile.FORMAT_1) {
        return;
      }
      if (!hasIndex && format == SnapshotFile.FORMAT) {
        // The index trailer is the file's last bytes: a format 2 file without it was cut short.
        throw new IllegalArgumentException(
            "file format " + format + " without its index (truncated?)");
      }
      throw new IllegalArgumentException(
          "file format "
              + format
              + (hasIndex ? " with an index" : "")
              + " is not supported (this node knows "
              + SnapshotFile.FORMAT_1
              + " and "
              + SnapshotFile.FORMAT
              + " with an index)");
    }

    /**
     * One record map, its runs handed to the pool; the map fills as the runs are merged. Null when
     * the file's map is null, which the document refuses.
     */
    private <T> Map<String, T> section(String name, Class<T> type) throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(name + " is not a map");
      }
      ObjectReader reader =
          MAPPER
              .readerFor(
                  MAPPER.getTypeFactory().constructMapType(HashMap.class, String.class, type))
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      if (WITHOUT_OWN_MAPS.contains(type)) {
        reader = reader.with(UNSHARED_NAMES);
      }
      if (hasIndex) {
        return indexedSection(name, reader);
      }
      Map<String, T> target = new HashMap<>();
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
          runs.submit(target, reader, runStart, end);
          runStart = end;
          entries = 0;
        }
      }
      if (entries > 0) {
        runs.submit(target, reader, runStart, end);
      }
      return target;
    }

    /**
     * A map the index describes: the skeleton holds it as {@code {}}, whose braces must lie where
     * the index puts the map's ends in the file, else the index belongs to another document (or the
     * file was edited) and nothing it points at can be trusted.
     */
    private <T> Map<String, T> indexedSection(String name, ObjectReader reader) throws IOException {
      SnapshotIndex.Span span = indexed.poll();
      if (span == null || !span.name().equals(name)) {
        throw new IllegalArgumentException(
            "the snapshot index does not match the document at " + name);
      }
      SnapshotIndex.Section section = span.section();
      long open = parser.currentTokenLocation().getByteOffset() + leftOut;
      if (open != section.start() - 1) {
        throw new IllegalArgumentException(
            "the snapshot index puts "
                + name
                + " at "
                + section.start()
                + ", the document at "
                + (open + 1));
      }
      leftOut += section.end() - section.start();
      if (parser.nextToken() != JsonToken.END_OBJECT
          || parser.currentTokenLocation().getByteOffset() + leftOut != section.end()) {
        throw new IllegalArgumentException(
            "the snapshot index does not match the document's end of " + name);
      }
      // Presized from the writer's count, bounded by what the bytes could hold (an entry takes
      // at least 6), so a wrong count cannot claim the heap.
      long bytes = section.end() - section.start();
      int expected =
          (int) Math.min(Math.max(section.entries(), 0), Math.min(bytes / 6 + 1, 1 << 26));
      Map<String, T> target = HashMap.newHashMap(expected);
      long[] bounds = section.bounds();
      for (int i = 1; i < bounds.length; i++) {
        runs.submit(target, reader, bounds[i - 1], bounds[i]);
      }
      return target;
    }
  }
}
