package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
  private static final long MAX_BYTES = 64 * 1024;
  private static final long SEGMENT_BYTES = 1024;

  @TempDir Path dir;

  private DiskSpool open() {
    return DiskSpool.open(dir, MAX_BYTES, SEGMENT_BYTES);
  }

  private static byte[] record(int n) {
    return String.format("record-%05d-%s", n, "x".repeat(40)).getBytes(StandardCharsets.UTF_8);
  }

  private static int recordSize(int n) {
    return DiskSpool.RECORD_HEADER_BYTES + record(n).length;
  }

  /** Reads and advances over everything unread, then commits. */
  private static List<String> drain(DiskSpool spool) {
    List<String> read = new ArrayList<>();
    byte[] next;
    while ((next = spool.peek()) != null) {
      read.add(new String(next, StandardCharsets.UTF_8));
      spool.advance();
    }
    spool.commit();
    return read;
  }

  private static List<String> expected(int from, int to) {
    List<String> records = new ArrayList<>();
    for (int n = from; n < to; n++) {
      records.add(new String(record(n), StandardCharsets.UTF_8));
    }
    return records;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".segment")).sorted().toList();
    }
  }

  @Nested
  class Fifo {
    @Test
    void reads_records_in_append_order_across_segment_files() throws IOException {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 100; n++) {
          assertThat(spool.append(record(n))).isTrue();
        }
        spool.flush();
        assertThat(segmentFiles()).hasSizeGreaterThan(3);
        assertThat(spool.pendingRecords()).isEqualTo(100);

        assertThat(drain(spool)).isEqualTo(expected(0, 100));
        assertThat(spool.pendingRecords()).isZero();
        assertThat(spool.pendingBytes()).isZero();
      }
    }

    @Test
    void peek_shows_the_same_record_until_advance() {
      try (DiskSpool spool = open()) {
        spool.append(record(1));
        spool.append(record(2));

        assertThat(spool.peek()).isEqualTo(record(1));
        assertThat(spool.peek()).isEqualTo(record(1));
        spool.advance();
        assertThat(spool.peek()).isEqualTo(record(2));
        spool.advance();
        assertThat(spool.peek()).isNull();
        assertThat(spool.hasUnread()).isFalse();
        assertThatThrownBy(spool::advance).isInstanceOf(IllegalStateException.class);
      }
    }

    @Test
    void interleaves_appends_and_reads_in_order() {
      try (DiskSpool spool = open()) {
        List<String> read = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
          spool.append(record(n));
          if (n % 3 == 2) {
            read.addAll(drain(spool));
          }
        }
        assertThat(read).isEqualTo(expected(0, 60));
      }
    }

    @Test
    void deletes_consumed_segments_on_commit_and_holds_no_disk_when_empty() throws IOException {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 100; n++) {
          spool.append(record(n));
        }
        assertThat(spool.diskBytes()).isEqualTo(100L * recordSize(0));

        drain(spool);

        assertThat(spool.diskBytes()).isZero();
        assertThat(segmentFiles()).hasSize(1);
        assertThat(Files.size(segmentFiles().getFirst())).isZero();
      }
    }
  }

  @Nested
  class Bounded {
    @Test
    void drops_and_counts_records_beyond_max_bytes() {
      try (DiskSpool spool = open()) {
        int accepted = 0;
        for (int n = 0; n < 2000; n++) {
          if (spool.append(record(n))) {
            accepted++;
          }
        }

        assertThat(accepted).isEqualTo((int) (MAX_BYTES / recordSize(0)));
        assertThat(spool.droppedRecords()).isEqualTo(2000 - accepted);
        assertThat(spool.diskBytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(drain(spool)).isEqualTo(expected(0, accepted));
      }
    }

    @Test
    void takes_records_again_once_drained() {
      try (DiskSpool spool = open()) {
        int n = 0;
        while (spool.append(record(n))) {
          n++;
        }
        drain(spool);

        assertThat(spool.append(record(9_999))).isTrue();
        assertThat(drain(spool)).isEqualTo(expected(9_999, 10_000));
      }
    }

    @Test
    void refuses_a_segment_size_larger_than_the_bound() {
      assertThatThrownBy(() -> DiskSpool.open(dir, 1024, 2048))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("segmentBytes");
    }
  }

  @Nested
  class Restart {
    @Test
    void keeps_unread_records_across_reopen() {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 50; n++) {
          spool.append(record(n));
        }
      }

      try (DiskSpool reopened = open()) {
        assertThat(reopened.pendingRecords()).isEqualTo(50);
        assertThat(reopened.pendingBytes()).isEqualTo(50L * recordSize(0));
        assertThat(drain(reopened)).isEqualTo(expected(0, 50));
      }
    }

    @Test
    void does_not_return_committed_records_after_reopen() {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 50; n++) {
          spool.append(record(n));
        }
        for (int n = 0; n < 30; n++) {
          spool.peek();
          spool.advance();
        }
        spool.commit();
      }

      try (DiskSpool reopened = open()) {
        assertThat(reopened.pendingRecords()).isEqualTo(20);
        assertThat(drain(reopened)).isEqualTo(expected(30, 50));
      }
    }

    @Test
    void reads_advanced_but_uncommitted_records_again_after_reopen() {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 10; n++) {
          spool.append(record(n));
        }
        for (int n = 0; n < 4; n++) {
          spool.peek();
          spool.advance();
        }
      }

      try (DiskSpool reopened = open()) {
        assertThat(drain(reopened)).isEqualTo(expected(0, 10));
      }
    }

    @Test
    void survives_reopen_when_a_crash_left_consumed_segments_behind() throws IOException {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 100; n++) {
          spool.append(record(n));
        }
      }
      Path oldest = segmentFiles().getFirst();
      byte[] oldestBytes = Files.readAllBytes(oldest);
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 40; n++) {
          spool.peek();
          spool.advance();
        }
        spool.commit();
      }
      // As if the process died after persisting the position but before deleting the segment.
      Files.write(oldest, oldestBytes);

      try (DiskSpool reopened = open()) {
        assertThat(drain(reopened)).isEqualTo(expected(40, 100));
      }
      assertThat(oldest).doesNotExist();
    }

    @Test
    void reads_everything_again_when_the_position_file_is_corrupt() throws IOException {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 10; n++) {
          spool.append(record(n));
        }
        for (int n = 0; n < 5; n++) {
          spool.peek();
          spool.advance();
        }
        spool.commit();
      }
      Files.write(dir.resolve("read-position"), new byte[] {1, 2, 3});

      try (DiskSpool reopened = open()) {
        // At least once: the oldest segment is read from its start.
        assertThat(drain(reopened)).isEqualTo(expected(0, 10));
      }
    }
  }

  @Nested
  class Corruption {
    private void spoolTen() {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 10; n++) {
          spool.append(record(n));
        }
      }
    }

    private Path lastSegment() throws IOException {
      return segmentFiles().getLast();
    }

    @Test
    void skips_a_torn_tail_record_on_open_and_appends_after_the_good_ones() throws IOException {
      spoolTen();
      // A crash in the middle of an append: a header promising 100 bytes, then 7 of them.
      Files.write(
          lastSegment(),
          new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'p', 'a', 'r', 't', 'i', 'a', 'l'},
          StandardOpenOption.APPEND);

      try (DiskSpool reopened = open()) {
        assertThat(reopened.pendingRecords()).isEqualTo(10);
        reopened.append(record(10));
        assertThat(drain(reopened)).isEqualTo(expected(0, 11));
      }
    }

    @Test
    void skips_a_tail_record_whose_crc_does_not_match() throws IOException {
      spoolTen();
      Path last = lastSegment();
      byte[] bytes = Files.readAllBytes(last);
      bytes[bytes.length - 3] ^= 0x5a;
      Files.write(last, bytes);

      try (DiskSpool reopened = open()) {
        assertThat(reopened.pendingRecords()).isEqualTo(9);
        assertThat(drain(reopened)).isEqualTo(expected(0, 9));
      }
    }

    @Test
    void skips_the_rest_of_a_segment_that_turns_corrupt_while_open() throws IOException {
      try (DiskSpool spool = open()) {
        for (int n = 0; n < 5; n++) {
          spool.append(record(n));
        }
        spool.flush();
        Path segment = lastSegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[2 * recordSize(0) + DiskSpool.RECORD_HEADER_BYTES + 3] ^= 0x5a;
        Files.write(segment, bytes);

        assertThat(drain(spool)).isEqualTo(expected(0, 2));
        assertThat(spool.droppedRecords()).isEqualTo(3);
        assertThat(spool.pendingRecords()).isZero();
        spool.append(record(5));
      }

      try (DiskSpool reopened = open()) {
        assertThat(drain(reopened)).isEqualTo(expected(5, 6));
      }
    }

    @Test
    void skips_a_torn_header_at_the_tail() throws IOException {
      spoolTen();
      Files.write(lastSegment(), new byte[] {0, 0}, StandardOpenOption.APPEND);

      try (DiskSpool reopened = open()) {
        assertThat(drain(reopened)).isEqualTo(expected(0, 10));
      }
    }
  }
}
