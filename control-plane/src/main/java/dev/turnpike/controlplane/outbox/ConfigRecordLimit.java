package dev.turnpike.controlplane.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * How large one config record may be, measured the way Kafka measures it. A change whose record
 * exceeds it is refused before anything is written, so every record the outbox holds fits the
 * config topics and the relay's producer.
 *
 * <p>Two sizes count. The relay sends records compressed; a broker refuses a record batch larger
 * than the topic's {@code max.message.bytes}, which it checks on the compressed batch. The producer
 * refuses a record larger than its {@code max.request.size} or its buffer before compressing it,
 * and a gateway holds the record decoded; so the encoded size is bounded too, which also keeps
 * records that compress extremely well (the same text repeated) from inflating in every gateway.
 *
 * @param maxCompressedBytes the largest record, as a one-record batch compressed with {@link
 *     #COMPRESSION} (framing and key included): what the config topics must hold
 * @param maxEncodedBytes the largest record value before compression
 */
public record ConfigRecordLimit(int maxCompressedBytes, int maxEncodedBytes) {
  /**
   * The relay's compression. zstd compresses JSON config best among the codecs Kafka clients 4.1
   * read (gzip, snappy, lz4, zstd); every Kafka client from 2.1 on decompresses it.
   */
  public static final String COMPRESSION = "zstd";

  /**
   * Room above a limit for what Kafka adds around one record: the batch header, the record's
   * framing and its key take a few hundred bytes; a batch of several records that outgrows the
   * topic is split by the producer and sent again.
   */
  static final int FRAMING_BYTES = 64 * 1024;

  /** Under Kafka's default {@code max.message.bytes} (1,048,588), so existing topics hold it. */
  public static final int DEFAULT_MAX_COMPRESSED_BYTES = 1_000_000;

  /** About three times a 10,000-route API (2.5 MB of JSON). */
  public static final int DEFAULT_MAX_ENCODED_BYTES = 8 << 20;

  public ConfigRecordLimit {
    if (maxCompressedBytes < 1024 || maxEncodedBytes < maxCompressedBytes) {
      throw new IllegalArgumentException(
          "a config record limit needs 1024 <= maxCompressedBytes <= maxEncodedBytes, was "
              + maxCompressedBytes
              + " and "
              + maxEncodedBytes);
    }
  }

  public static ConfigRecordLimit defaults() {
    return new ConfigRecordLimit(DEFAULT_MAX_COMPRESSED_BYTES, DEFAULT_MAX_ENCODED_BYTES);
  }

  /** A record's size: its encoded value, and the one-record batch the relay would send. */
  public record RecordSize(int encodedBytes, int compressedBytes) {
    @Override
    public String toString() {
      return megabytes(encodedBytes) + " (" + megabytes(compressedBytes) + " compressed)";
    }
  }

  /** Compresses the record as the relay's producer does, with Kafka's own batch format. */
  public static RecordSize measure(String key, byte[] value) {
    MemoryRecords batch =
        MemoryRecords.withRecords(
            Compression.zstd().build(),
            new SimpleRecord(key.getBytes(StandardCharsets.UTF_8), value));
    return new RecordSize(value == null ? 0 : value.length, batch.sizeInBytes());
  }

  public boolean admits(RecordSize size) {
    return size.compressedBytes() <= maxCompressedBytes && size.encodedBytes() <= maxEncodedBytes;
  }

  /** Why a record of {@code size} is refused, naming the size and the limit it exceeds. */
  public String exceeded(RecordSize size) {
    if (size.compressedBytes() > maxCompressedBytes) {
      return "its config record is "
          + exactly(size.compressedBytes())
          + " compressed, over the limit of "
          + exactly(maxCompressedBytes)
          + " ("
          + megabytes(size.encodedBytes())
          + " before compression)";
    }
    return "its config record is "
        + exactly(size.encodedBytes())
        + " before compression, over the limit of "
        + exactly(maxEncodedBytes);
  }

  private static String exactly(long bytes) {
    return megabytes(bytes) + String.format(Locale.ROOT, " (%,d bytes)", bytes);
  }

  /** What the config topics' {@code max.message.bytes} is set to when the relay creates them. */
  public int topicMaxMessageBytes() {
    return maxCompressedBytes + FRAMING_BYTES;
  }

  /** The relay producer's {@code max.request.size}: the largest record before compression. */
  public int producerMaxRequestSize() {
    return maxEncodedBytes + FRAMING_BYTES;
  }

  /** Megabytes of 1,000,000 bytes, as owners read sizes, with one decimal. */
  public static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
