package dev.turnpike.gateway.config;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * When the feed writes its snapshot file: at once the first time, then at most once per interval
 * while there are changes not written yet, and on close. The feed only asks once it has caught up,
 * so a half-read state never reaches the disk. Runs on the feed thread; the write itself runs on
 * the {@link SnapshotWriter}'s thread, so the feed hands the state over and goes on.
 */
final class SnapshotSchedule {
  private final SnapshotWriter writer;
  private final long intervalNanos;
  private boolean unsaved;
  private boolean savedOnce;
  private long lastSaveNanos;

  SnapshotSchedule(SnapshotWriter writer, Duration interval) {
    this.writer = writer;
    this.intervalNanos = interval.toNanos();
  }

  void changed() {
    unsaved = true;
  }

  /** Hands {@code state} to the writer if there is something new and the interval allows. */
  void saveIfDue(Supplier<ConfigState> state, boolean closing) {
    // A failed write (logged by the writer) is retried after the interval, not on every loop.
    if (writer.takeFailure()) {
      unsaved = true;
    }
    long now = System.nanoTime();
    boolean due = closing || !savedOnce || now - lastSaveNanos >= intervalNanos;
    if (!unsaved || !due) {
      return;
    }
    savedOnce = true;
    lastSaveNanos = now;
    writer.submit(state.get());
    unsaved = false;
  }
}
