package dev.turnpike.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.turnpike.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final List<Long> written = new CopyOnWriteArrayList<>();
  private final CountDownLatch writing = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Writes record the version; the first one blocks until released, as a slow disk would. */
  private final SnapshotWriter writer =
      new SnapshotWriter(
          state -> {
            writing.countDown();
            try {
              if (!release.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("never released");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            written.add(state.version());
          },
          "test");

  @Test
  void a_blocked_write_does_not_hold_up_the_states_handed_over_after_it() throws Exception {
    writer.submit(SnapshotFileTest.state(1));
    assertThat(writing.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          writer.submit(SnapshotFileTest.state(2));
          writer.submit(SnapshotFileTest.state(3));
        },
        "the feed thread hands states over while a write is stuck");
    release.countDown();
    Await.until(BOUND, writer::idle, "the writer idle");

    assertThat(written)
        .as("one write at a time, and of what waited only the newest")
        .containsExactly(1L, 3L);
    writer.close();
  }

  @Test
  void close_writes_the_state_still_waiting_before_it_returns() throws Exception {
    writer.submit(SnapshotFileTest.state(1));
    assertThat(writing.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    writer.submit(SnapshotFileTest.state(2));
    release.countDown();

    writer.close(BOUND);

    assertThat(written).containsExactly(1L, 2L);
    writer.submit(SnapshotFileTest.state(3));
    assertThat(writer.idle()).as("a closed writer takes nothing more").isTrue();
  }

  @Test
  void a_failed_write_is_reported_once_so_the_schedule_writes_again() throws Exception {
    SnapshotWriter failing =
        new SnapshotWriter(
            state -> {
              throw new IOException("disk full");
            },
            "test");
    failing.submit(SnapshotFileTest.state(1));
    Await.until(BOUND, failing::idle, "the failing writer idle");

    assertThat(failing.takeFailure()).isTrue();
    assertThat(failing.takeFailure()).isFalse();
    failing.close();
  }
}
