package dev.turnpike.gateway.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.turnpike.contracts.json.JsonCodec;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a snapshot file in format 2: {@link SnapshotFile.Document}'s JSON, field for field, then
 * the {@link SnapshotIndex} of where each record map's runs of entries lie, so a load hands byte
 * ranges to its decode pool instead of skimming the file for them.
 */
final class SnapshotEncoder {
  private static final ObjectWriter VALUES =
      JsonCodec.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final int runEntries;

  /**
   * @param runEntries how many entries a run holds: about 700 KB of a SaaS-scale file's keys at
   *     2,000, enough to outweigh handing a run to a thread, small enough that a few in flight per
   *     thread bound the bytes a load holds at once
   */
  SnapshotEncoder(int runEntries) {
    if (runEntries < 1) {
      throw new IllegalArgumentException("runEntries must be >= 1, got " + runEntries);
    }
    this.runEntries = runEntries;
  }

  /** Writes {@code state} to {@code out}, which it flushes but does not close. */
  void write(OutputStream out, ConfigState state, Instant savedAt) throws IOException {
    SnapshotFile.Document document = SnapshotFile.Document.of(state, savedAt);
    Map<String, Iterable<? extends Map.Entry<String, ?>>> sections = new LinkedHashMap<>();
    sections.put("deployments", document.deployments().entrySet());
    sections.put("keysByHash", document.keysByHash().entrySet());
    sections.put("plans", document.plans().entrySet());
    sections.put("quotaStates", document.quotaStates().entrySet());
    sections.put("domains", document.domains().entrySet());
    write(out, savedAt, document.version(), document.positions(), sections);
  }

  /**
   * Writes a document of the given record maps, in the given order; tests use it to write entries a
   * map cannot hold, such as a key twice.
   */
  void write(
      OutputStream out,
      Instant savedAt,
      long version,
      List<SnapshotFile.Position> positions,
      Map<String, Iterable<? extends Map.Entry<String, ?>>> sections)
      throws IOException {
    Counting counting = new Counting(out);
    JsonGenerator json = JsonCodec.mapper().createGenerator(counting);
    // The offsets are taken after flushing the generator's buffer into the counting stream; the
    // stream below is not flushed then, so its buffer still writes the file in large blocks.
    json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeNumberField("format", SnapshotFile.FORMAT);
    json.writeFieldName("savedAt");
    VALUES.writeValue(json, savedAt);
    json.writeNumberField("version", version);
    json.writeFieldName("positions");
    VALUES.writeValue(json, positions);
    Map<String, SnapshotIndex.Section> index = new LinkedHashMap<>();
    for (Map.Entry<String, Iterable<? extends Map.Entry<String, ?>>> section :
        sections.entrySet()) {
      json.writeFieldName(section.getKey());
      index.put(section.getKey(), writeSection(json, counting, section.getValue()));
    }
    json.writeFieldName("index");
    json.flush();
    // The generator writes a field's ':' with its value (no pretty printer, so no spaces): the
    // index's '{' follows it.
    long indexAt = counting.count + 1;
    VALUES.writeValue(json, new SnapshotIndex(index));
    json.writeStringField("indexAt", SnapshotIndex.trailer(indexAt));
    json.writeEndObject();
    json.close();
    out.flush();
  }

  private SnapshotIndex.Section writeSection(
      JsonGenerator json, Counting counting, Iterable<? extends Map.Entry<String, ?>> entries)
      throws IOException {
    json.writeStartObject();
    json.flush();
    long[] bounds = new long[8];
    int bound = 0;
    bounds[bound++] = counting.count;
    long written = 0;
    int inRun = 0;
    for (Map.Entry<String, ?> entry : entries) {
      json.writeFieldName(entry.getKey());
      VALUES.writeValue(json, entry.getValue());
      written++;
      if (++inRun == runEntries) {
        json.flush();
        bounds = append(bounds, bound++, counting.count);
        inRun = 0;
      }
    }
    json.flush();
    if (inRun > 0 || bound == 1) {
      // The map's end; an empty map's is its start.
      bounds = append(bounds, bound++, counting.count);
    }
    json.writeEndObject();
    return new SnapshotIndex.Section(written, Arrays.copyOf(bounds, bound));
  }

  private static long[] append(long[] bounds, int at, long value) {
    long[] target = at < bounds.length ? bounds : Arrays.copyOf(bounds, at * 2);
    target[at] = value;
    return target;
  }

  /** Counts the bytes the generator has handed on: the offsets the index records. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
