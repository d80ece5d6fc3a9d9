package dev.turnpike.gateway.usage;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded first-in first-out queue of byte records on local disk, where usage events wait while
 * Kafka is away.
 *
 * <p>Records go into segment files ({@code 00000000000000000042.segment}), each record as its
 * length, its CRC32C and its bytes. A reader walks from the oldest segment: {@link #peek()} shows
 * the next record, {@link #advance()} moves past it, and {@link #commit()} makes everything
 * advanced over permanent: it persists the read position (written to a temporary file and renamed,
 * so it is either old or new, never torn) and deletes the segments left behind. Until a commit, a
 * restart reads the advanced records again; the publisher commits only once Kafka acknowledged
 * them, so a crash re-sends rather than loses.
 *
 * <p>On open the spool checks every record after the read position. A torn or corrupt record (a
 * crash mid-write, a bad disk) is logged and the segment is cut there; the records after it in that
 * segment cannot be framed any more and are lost, later segments are kept.
 *
 * <p>The spool never holds more than {@code maxBytes} on disk: an append that would pass it is
 * refused, counted in {@link #droppedRecords()} and logged at ERROR at most every 10 seconds.
 *
 * <p>Appends are buffered and reach the operating system on {@link #flush()}, a segment change, a
 * read of the newest segment or {@link #close()}, so a process crash loses at most what was
 * appended since the last flush; segments are synced to the device when full and on close only, as
 * the spool is a fallback and a per-record sync would cost more than the outage it covers.
 *
 * <p>Not thread-safe by design: the publisher thread alone appends, reads and commits, so there are
 * no locks. The counters are volatile and may be read from any thread (metrics).
 */
public final class DiskSpool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);

  /** Length and CRC in front of each record. */
  public static final int RECORD_HEADER_BYTES = 2 * Integer.BYTES;

  /** Usage events are well under a kilobyte; anything this big is not one. */
  public static final int MAX_RECORD_BYTES = 1 << 20;

  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.segment");
  private static final String POSITION_FILE = "read-position";
  private static final int POSITION_MAGIC = 0x54505350;
  private static final int POSITION_BYTES = Integer.BYTES + 2 * Long.BYTES + Integer.BYTES;
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final DropReporter fullReporter;
  private final CRC32C crc = new CRC32C();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();

  private Segment tail;
  private FileChannel tailChannel;
  private final ByteBuffer writeBuffer = ByteBuffer.allocate(BUFFER_BYTES);
  private int bufferedRecords;

  private Segment readSegment;
  private long readOffset;
  private long readRecordsInSegment;
  private FileChannel readChannel;
  private Segment readChannelSegment;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(BUFFER_BYTES);
  private long readBufferStart = -1;
  private byte[] peeked;

  private long advancedRecords;
  private long advancedBytes;

  private volatile long pendingRecords;
  private volatile long pendingBytes;
  private volatile long diskBytes;
  private volatile long droppedRecords;
  private boolean closed;

  private DiskSpool(Path dir, long maxBytes, long segmentBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.fullReporter =
        new DropReporter(
            LOG,
            () ->
                "the usage spool in "
                    + dir
                    + " is full ("
                    + maxBytes
                    + " bytes) while Kafka is away; metering will undercount them",
            System::nanoTime);
  }

  /**
   * Opens the spool in {@code dir}, creating it if needed, with segments of an eighth of {@code
   * maxBytes} (between 64 KiB and 64 MiB).
   */
  public static DiskSpool open(Path dir, long maxBytes) {
    long segmentBytes = Math.clamp(maxBytes / 8, 64 * 1024, 64L * 1024 * 1024);
    return open(dir, maxBytes, Math.min(maxBytes, segmentBytes));
  }

  /**
   * Opens the spool in {@code dir}, creating it if needed; what an earlier spool there left unread
   * is read first.
   *
   * @throws UncheckedIOException if the directory cannot be used
   */
  public static DiskSpool open(Path dir, long maxBytes, long segmentBytes) {
    if (segmentBytes < RECORD_HEADER_BYTES + 1 || segmentBytes > maxBytes) {
      throw new IllegalArgumentException(
          "segmentBytes must be between "
              + (RECORD_HEADER_BYTES + 1)
              + " and maxBytes ("
              + maxBytes
              + "), was "
              + segmentBytes);
    }
    DiskSpool spool = new DiskSpool(dir, maxBytes, segmentBytes);
    try {
      spool.recover();
    } catch (IOException e) {
      spool.closeChannels();
      throw new UncheckedIOException("cannot open the usage spool in " + dir, e);
    }
    return spool;
  }

  /**
   * Appends one record at the end.
   *
   * @return false if the record was dropped: the spool is full, the record too big or the disk
   *     failed; each is counted in {@link #droppedRecords()} and logged
   */
  public boolean append(byte[] record) {
    ensureOpen();
    int size = RECORD_HEADER_BYTES + record.length;
    if (record.length > MAX_RECORD_BYTES) {
      LOG.error(
          "dropped a usage record of {} bytes: more than {}", record.length, MAX_RECORD_BYTES);
      droppedRecords++;
      return false;
    }
    if (diskBytes + size > maxBytes) {
      droppedRecords++;
      fullReporter.dropped(1);
      return false;
    }
    if (tail.size > 0 && tail.size + size > segmentBytes) {
      roll();
    }
    if (writeBuffer.remaining() < size) {
      flushWrites();
    }
    crc.reset();
    crc.update(record);
    if (size > writeBuffer.capacity()) {
      ByteBuffer direct = ByteBuffer.allocate(size);
      direct.putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
      try {
        writeFully(tailChannel, direct, tail.size);
      } catch (IOException e) {
        LOG.error("dropped a usage record: cannot write to {}", tail.path, e);
        truncateQuietly(tailChannel, tail.size);
        droppedRecords++;
        return false;
      }
    } else {
      writeBuffer.putInt(record.length).putInt((int) crc.getValue()).put(record);
      bufferedRecords++;
    }
    tail.size += size;
    tail.records++;
    diskBytes += size;
    pendingRecords++;
    pendingBytes += size;
    return true;
  }

  /**
   * The next record to read, or null if none; the same record until {@link #advance()}.
   *
   * @throws UncheckedIOException if the spool cannot be read
   */
  public byte[] peek() {
    ensureOpen();
    while (peeked == null) {
      if (readOffset >= readSegment.size) {
        Map.Entry<Long, Segment> next = segments.higherEntry(readSegment.id);
        if (next == null) {
          return null;
        }
        readSegment = next.getValue();
        readOffset = readSegment.firstOffset;
        readRecordsInSegment = 0;
        continue;
      }
      if (readSegment == tail) {
        flushWrites();
      }
      try {
        peeked = readRecordAt(readSegment, readOffset);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the usage spool segment " + readSegment.path, e);
      }
      if (peeked == null) {
        skipRestOfReadSegment();
      }
    }
    return peeked;
  }

  /** Whether a record is waiting to be read. */
  public boolean hasUnread() {
    return peek() != null;
  }

  /** Moves past the record {@link #peek()} returned; a restart still reads it until a commit. */
  public void advance() {
    if (peeked == null) {
      throw new IllegalStateException("advance() without a record from peek()");
    }
    int size = RECORD_HEADER_BYTES + peeked.length;
    readOffset += size;
    readRecordsInSegment++;
    advancedRecords++;
    advancedBytes += size;
    peeked = null;
  }

  /**
   * Makes everything advanced over permanent: persists the read position, then deletes the segments
   * before it. An emptied spool starts a new segment so it holds no disk while idle.
   *
   * @throws UncheckedIOException if the position cannot be persisted
   */
  public void commit() {
    ensureOpen();
    if (advancedRecords == 0 && advancedBytes == 0) {
      return;
    }
    try {
      if (readSegment == tail && readOffset >= tail.size) {
        startNewTail();
        readSegment = tail;
        readOffset = 0;
        readRecordsInSegment = 0;
      }
      writePosition(readSegment.id, readOffset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the usage spool position in " + dir, e);
    }
    List<Segment> consumed = new ArrayList<>(segments.headMap(readSegment.id).values());
    for (Segment segment : consumed) {
      segments.remove(segment.id);
      if (readChannelSegment == segment) {
        closeReadChannel();
      }
      deleteQuietly(segment.path);
    }
    pendingRecords -= advancedRecords;
    pendingBytes -= advancedBytes;
    advancedRecords = 0;
    advancedBytes = 0;
    diskBytes = segments.values().stream().mapToLong(s -> s.size).sum();
  }

  /** Hands buffered appends to the operating system, so a process crash does not lose them. */
  public void flush() {
    ensureOpen();
    flushWrites();
  }

  /** Records not yet committed, including advanced ones. Any thread. */
  public long pendingRecords() {
    return pendingRecords;
  }

  /** Bytes (with record headers) not yet committed. Any thread. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** Bytes the segment files take, what {@code maxBytes} bounds. Any thread. */
  public long diskBytes() {
    return diskBytes;
  }

  /** Records refused because the spool was full, or lost to a disk error or corruption. */
  public long droppedRecords() {
    return droppedRecords;
  }

  public Path directory() {
    return dir;
  }

  /** Flushes and syncs appends and closes the files; what was not committed is read again. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    flushWrites();
    try {
      tailChannel.force(false);
    } catch (IOException e) {
      LOG.warn("cannot sync the usage spool segment {}", tail.path, e);
    }
    fullReporter.flush();
    closeChannels();
    closed = true;
  }

  private void recover() throws IOException {
    Files.createDirectories(dir);
    long[] position = readPosition();
    List<Long> ids = segmentIds();
    long startId = position != null ? position[0] : ids.isEmpty() ? 0 : ids.getFirst();
    long startOffset = position != null ? position[1] : 0;
    for (long id : ids) {
      Path path = segmentPath(id);
      if (id < startId) {
        // Consumed before the last run could delete it.
        deleteQuietly(path);
        continue;
      }
      Segment segment = new Segment(id, path);
      segment.firstOffset = id == startId ? startOffset : 0;
      scan(segment);
      segments.put(id, segment);
    }
    if (segments.isEmpty()) {
      long id = position != null ? startId + 1 : 0;
      tail = createSegment(id);
      segments.put(id, tail);
      writePosition(id, 0);
    } else {
      tail = segments.lastEntry().getValue();
    }
    tailChannel = FileChannel.open(tail.path, StandardOpenOption.WRITE);
    readSegment = segments.firstEntry().getValue();
    readOffset = readSegment.firstOffset;
    long pendingRecordCount = 0;
    long pendingByteCount = 0;
    long diskByteCount = 0;
    for (Segment segment : segments.values()) {
      pendingRecordCount += segment.records;
      pendingByteCount += segment.size - segment.firstOffset;
      diskByteCount += segment.size;
    }
    pendingRecords = pendingRecordCount;
    pendingBytes = pendingByteCount;
    diskBytes = diskByteCount;
    if (pendingRecordCount > 0) {
      LOG.info(
          "usage spool {} holds {} events ({} bytes) from an earlier run",
          dir,
          pendingRecordCount,
          pendingByteCount);
    }
  }

  /** Counts the valid records of a segment from its first offset and cuts a torn or corrupt end. */
  private void scan(Segment segment) throws IOException {
    long fileSize = Files.size(segment.path);
    if (segment.firstOffset > fileSize) {
      LOG.warn(
          "usage spool position {} is past the end of {} ({} bytes); nothing left to read there",
          segment.firstOffset,
          segment.path,
          fileSize);
      segment.firstOffset = fileSize;
    }
    long offset = segment.firstOffset;
    int records = 0;
    String problem = null;
    try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ);
        InputStream stream = Channels.newInputStream(channel.position(offset));
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, BUFFER_BYTES))) {
      while (offset < fileSize) {
        if (fileSize - offset < RECORD_HEADER_BYTES) {
          problem = "a torn record header";
          break;
        }
        int length = in.readInt();
        int expectedCrc = in.readInt();
        if (length < 0 || length > MAX_RECORD_BYTES) {
          problem = "an impossible record length " + length;
          break;
        }
        if (fileSize - offset - RECORD_HEADER_BYTES < length) {
          problem = "a torn record";
          break;
        }
        byte[] record = new byte[length];
        in.readFully(record);
        if (checksum(record) != expectedCrc) {
          problem = "a record whose CRC does not match";
          break;
        }
        offset += RECORD_HEADER_BYTES + length;
        records++;
      }
    } catch (EOFException e) {
      problem = "a record cut short";
    }
    if (problem != null) {
      LOG.warn(
          "usage spool segment {} has {} at offset {}: skipping its last {} bytes",
          segment.path,
          problem,
          offset,
          fileSize - offset);
      try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
        channel.truncate(offset);
      }
    }
    segment.size = offset;
    segment.records = records;
  }

  /** The record at {@code offset}, or null if it is corrupt. */
  private byte[] readRecordAt(Segment segment, long offset) throws IOException {
    if (!buffered(segment, offset, RECORD_HEADER_BYTES)) {
      return null;
    }
    int at = (int) (offset - readBufferStart);
    int length = readBuffer.getInt(at);
    int expectedCrc = readBuffer.getInt(at + Integer.BYTES);
    long end = offset + RECORD_HEADER_BYTES + length;
    if (length < 0 || length > MAX_RECORD_BYTES || end > segment.size) {
      return null;
    }
    byte[] record = new byte[length];
    if (RECORD_HEADER_BYTES + length <= readBuffer.capacity()) {
      if (!buffered(segment, offset, RECORD_HEADER_BYTES + length)) {
        return null;
      }
      readBuffer.get((int) (offset - readBufferStart) + RECORD_HEADER_BYTES, record);
    } else {
      ByteBuffer target = ByteBuffer.wrap(record);
      long position = offset + RECORD_HEADER_BYTES;
      while (target.hasRemaining()) {
        if (readChannel.read(target, position + target.position()) < 0) {
          return null;
        }
      }
    }
    return checksum(record) == expectedCrc ? record : null;
  }

  /** Makes the read buffer hold {@code length} bytes of {@code segment} from {@code offset}. */
  private boolean buffered(Segment segment, long offset, int length) throws IOException {
    if (readChannelSegment != segment) {
      closeReadChannel();
      readChannel = FileChannel.open(segment.path, StandardOpenOption.READ);
      readChannelSegment = segment;
    }
    if (readBufferStart >= 0
        && offset >= readBufferStart
        && offset + length <= readBufferStart + readBuffer.limit()) {
      return true;
    }
    readBuffer.clear();
    while (readBuffer.position() < length) {
      if (readChannel.read(readBuffer, offset + readBuffer.position()) < 0) {
        break;
      }
    }
    readBuffer.flip();
    readBufferStart = offset;
    return readBuffer.limit() >= length;
  }

  private void skipRestOfReadSegment() {
    long lost = readSegment.records - readRecordsInSegment;
    LOG.error(
        "usage spool segment {} is corrupt at offset {}: skipping its last {} events",
        readSegment.path,
        readOffset,
        lost);
    droppedRecords += lost;
    advancedRecords += lost;
    advancedBytes += readSegment.size - readOffset;
    readRecordsInSegment = readSegment.records;
    readOffset = readSegment.size;
    if (readSegment == tail) {
      // New appends must not follow the bad bytes: a reopen would cut the segment there.
      roll();
    }
  }

  private void roll() {
    Segment next;
    try {
      next = createSegment(tail.id + 1);
    } catch (IOException e) {
      LOG.error("cannot start a new usage spool segment in {}; growing {}", dir, tail.path, e);
      return;
    }
    flushWrites();
    try {
      tailChannel.force(false);
    } catch (IOException e) {
      LOG.warn("cannot sync the usage spool segment {}", tail.path, e);
    }
    closeQuietly(tailChannel);
    segments.put(next.id, next);
    tail = next;
    try {
      tailChannel = FileChannel.open(tail.path, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the usage spool segment " + tail.path, e);
    }
  }

  private void startNewTail() throws IOException {
    flushWrites();
    Segment next = createSegment(tail.id + 1);
    closeQuietly(tailChannel);
    segments.put(next.id, next);
    tail = next;
    tailChannel = FileChannel.open(tail.path, StandardOpenOption.WRITE);
  }

  private void flushWrites() {
    if (writeBuffer.position() == 0) {
      return;
    }
    writeBuffer.flip();
    int bytes = writeBuffer.remaining();
    long flushedEnd = tail.size - bytes;
    try {
      writeFully(tailChannel, writeBuffer, flushedEnd);
    } catch (IOException e) {
      LOG.error("lost {} usage events: cannot write to {}", bufferedRecords, tail.path, e);
      truncateQuietly(tailChannel, flushedEnd);
      if (readChannelSegment == tail) {
        readBufferStart = -1;
      }
      tail.size = flushedEnd;
      tail.records -= bufferedRecords;
      diskBytes -= bytes;
      pendingRecords -= bufferedRecords;
      pendingBytes -= bytes;
      droppedRecords += bufferedRecords;
    } finally {
      writeBuffer.clear();
      bufferedRecords = 0;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private Segment createSegment(long id) throws IOException {
    Path path = segmentPath(id);
    Files.createFile(path);
    return new Segment(id, path);
  }

  private Path segmentPath(long id) {
    return dir.resolve(String.format("%020d.segment", id));
  }

  private List<Long> segmentIds() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(path -> SEGMENT_NAME.matcher(path.getFileName().toString()))
          .filter(Matcher::matches)
          .map(matcher -> Long.parseLong(matcher.group(1)))
          .sorted()
          .toList();
    }
  }

  /** The persisted {@code [segment, offset]}, or null if there is none or it is unreadable. */
  private long[] readPosition() throws IOException {
    Path file = dir.resolve(POSITION_FILE);
    if (!Files.exists(file)) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    if (bytes.capacity() == POSITION_BYTES && bytes.getInt(0) == POSITION_MAGIC) {
      crc.reset();
      crc.update(bytes.array(), 0, POSITION_BYTES - Integer.BYTES);
      if ((int) crc.getValue() == bytes.getInt(POSITION_BYTES - Integer.BYTES)) {
        return new long[] {bytes.getLong(Integer.BYTES), bytes.getLong(Integer.BYTES + Long.BYTES)};
      }
    }
    LOG.warn(
        "usage spool position {} is unreadable; reading from the oldest segment, so events"
            + " already sent may be sent again (metering deduplicates them)",
        file);
    return null;
  }

  private void writePosition(long segmentId, long offset) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(POSITION_BYTES);
    bytes.putInt(POSITION_MAGIC).putLong(segmentId).putLong(offset);
    crc.reset();
    crc.update(bytes.array(), 0, POSITION_BYTES - Integer.BYTES);
    bytes.putInt((int) crc.getValue()).flip();
    Path file = dir.resolve(POSITION_FILE);
    Path temporary = dir.resolve(POSITION_FILE + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(channel, bytes, 0);
      channel.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private int checksum(byte[] record) {
    crc.reset();
    crc.update(record);
    return (int) crc.getValue();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the usage spool in " + dir + " is closed");
    }
  }

  private void closeReadChannel() {
    closeQuietly(readChannel);
    readChannel = null;
    readChannelSegment = null;
    readBufferStart = -1;
  }

  private void closeChannels() {
    closeReadChannel();
    closeQuietly(tailChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("cannot close a usage spool file", e);
    }
  }

  private static void truncateQuietly(FileChannel channel, long size) {
    try {
      channel.truncate(size);
    } catch (IOException e) {
      LOG.warn("cannot cut a usage spool segment back to {} bytes", size, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot delete the used usage spool segment {}", path, e);
    }
  }

  /** One segment file; {@code size} counts buffered appends too. */
  private static final class Segment {
    final long id;
    final Path path;
    long firstOffset;
    long size;
    long records;

    Segment(long id, Path path) {
      this.id = id;
      this.path = path;
    }
  }
}
