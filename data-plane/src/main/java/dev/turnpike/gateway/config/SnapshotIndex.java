package dev.turnpike.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.turnpike.contracts.json.JsonCodec;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a format 2 snapshot file's record maps lie, as its writer recorded them: for each map, the
 * byte offsets that cut its entries into runs. A reader hands those byte ranges straight to its
 * decode pool: skimming 687 MB of JSON on the feed thread to find them was most of a snapshot start
 * at SaaS scale.
 *
 * <p>The index is the document's {@code "index"} field, written after the maps (their offsets are
 * known only then); the document's last field, {@code "indexAt"}, is the index's offset as a string
 * of {@value #DIGITS} digits, so the file's last {@value #TRAILER_BYTES} bytes find it without
 * parsing anything before. The file stays one JSON document, which a plain mapper reads whole.
 *
 * @param sections by the document's field name
 */
record SnapshotIndex(Map<String, Section> sections) {
  static final int DIGITS = 19;
  private static final byte[] TRAILER_START = ",\"indexAt\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRAILER_END = "\"}".getBytes(StandardCharsets.US_ASCII);
  static final int TRAILER_BYTES = TRAILER_START.length + DIGITS + TRAILER_END.length;
  private static final int MAX_INDEX_BYTES = 64 << 20;

  private static final ObjectReader READER =
      JsonCodec.mapper()
          .readerFor(SnapshotIndex.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * One record map.
   *
   * @param entries how many entries the writer wrote; a presizing hint, not trusted further
   * @param bounds the offset just after the map's opening brace, then each run's end, the last
   *     being the offset of its closing brace; a run after the first starts with the comma before
   *     its first entry
   */
  record Section(long entries, long[] bounds) {
    long start() {
      return bounds[0];
    }

    long end() {
      return bounds[bounds.length - 1];
    }
  }

  /** A section with its name, as the reader meets it. */
  record Span(String name, Section section) {}

  /** The index's offset, as the file's trailer spells it. */
  static String trailer(long indexAt) {
    String digits = Long.toString(indexAt);
    return "0".repeat(DIGITS - digits.length()) + digits;
  }

  /**
   * The index of the file {@code channel} reads, checked against the file's size; empty when the
   * file does not end with an index trailer (format 1, or a file cut short).
   *
   * @throws IOException if the trailer is there but the index it points at is not usable
   */
  static Optional<SnapshotIndex> find(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < TRAILER_BYTES) {
      return Optional.empty();
    }
    byte[] tail = readFully(channel, size - TRAILER_BYTES, TRAILER_BYTES);
    if (!matches(tail, 0, TRAILER_START)
        || !matches(tail, TRAILER_BYTES - TRAILER_END.length, TRAILER_END)) {
      return Optional.empty();
    }
    long indexAt = 0;
    for (int i = TRAILER_START.length; i < TRAILER_START.length + DIGITS; i++) {
      byte b = tail[i];
      if (b < '0' || b > '9') {
        return Optional.empty();
      }
      indexAt = indexAt * 10 + (b - '0');
    }
    long indexEnd = size - TRAILER_BYTES;
    if (indexAt <= 0 || indexAt >= indexEnd) {
      throw new IOException("the snapshot index offset " + indexAt + " is outside the file");
    }
    // A SaaS-scale file's index is about 20 KB (a bound per 2,000 entries); a trailer pointing
    // near the file's start is damage, and must not make the load read the file into one array.
    if (indexEnd - indexAt > MAX_INDEX_BYTES) {
      throw new IOException("the snapshot index is too long: " + (indexEnd - indexAt) + " bytes");
    }
    SnapshotIndex index = READER.readValue(readFully(channel, indexAt, (int) (indexEnd - indexAt)));
    index.check(indexAt);
    return Optional.of(index);
  }

  /** The sections in file order. */
  List<Span> spans() {
    List<Span> spans = new ArrayList<>();
    sections.forEach((name, section) -> spans.add(new Span(name, section)));
    spans.sort(Comparator.comparingLong(span -> span.section().start()));
    return spans;
  }

  /**
   * Refuses an index whose runs do not lie in order, apart, and before the index itself: the reader
   * relies on it to build the document's skeleton and to read the runs back.
   */
  private void check(long indexAt) {
    if (sections == null || sections.isEmpty()) {
      throw new IllegalArgumentException("the snapshot index names no record maps");
    }
    long previousEnd = 0;
    for (Span span : spans()) {
      Section section = span.section();
      if (section == null || section.bounds() == null || section.bounds().length < 2) {
        throw new IllegalArgumentException("the snapshot index of " + span.name() + " is empty");
      }
      long[] bounds = section.bounds();
      // The map's '{' lies before its first run, and at least a comma and a field name between
      // one map's '}' and the next map's '{'.
      if (bounds[0] <= previousEnd + 1) {
        throw new IllegalArgumentException(
            "the snapshot index of " + span.name() + " overlaps what comes before it");
      }
      for (int i = 1; i < bounds.length; i++) {
        if (bounds[i] < bounds[i - 1]) {
          throw new IllegalArgumentException(
              "the snapshot index of " + span.name() + " is not in file order");
        }
      }
      if (section.end() >= indexAt) {
        throw new IllegalArgumentException(
            "the snapshot index of " + span.name() + " points past the maps");
      }
      previousEnd = section.end();
    }
  }

  private static boolean matches(byte[] bytes, int at, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (bytes[at + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
    byte[] bytes = new byte[length];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException("the snapshot file ended at " + (position + buffer.position()));
      }
    }
    return bytes;
  }
}
