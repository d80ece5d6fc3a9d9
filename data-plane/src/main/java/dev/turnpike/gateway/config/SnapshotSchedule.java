package dev.turnpike.gateway.config;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the feed writes its snapshot file: at once the first time, then at most once per interval
 * while there are changes not written yet, and on close. The feed only asks once it has caught up,
 * so a half-read state never reaches the disk. Runs on the feed thread.
 */
final class SnapshotSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSchedule.class);

  private final SnapshotFile file;
  private final long intervalNanos;
  private boolean unsaved;
  private boolean savedOnce;
  private long lastSaveNanos;

  SnapshotSchedule(SnapshotFile file, Duration interval) {
    this.file = file;
    this.intervalNanos = interval.toNanos();
  }

  void changed() {
    unsaved = true;
  }

  /** Writes {@code state} if there is something new and the interval allows (or on close). */
  void saveIfDue(Supplier<ConfigState> state, boolean closing) {
    long now = System.nanoTime();
    boolean due = closing || !savedOnce || now - lastSaveNanos >= intervalNanos;
    if (!unsaved || !due) {
      return;
    }
    // A failed write is retried after the interval, not on every loop of the feed.
    savedOnce = true;
    lastSaveNanos = now;
    try {
      file.save(state.get());
      unsaved = false;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot write config snapshot file {}; will retry", file.path(), e);
    }
  }
}
