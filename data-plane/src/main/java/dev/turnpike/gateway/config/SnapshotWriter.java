package dev.turnpike.gateway.config;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the snapshot file on a thread of its own, so the feed thread never waits for a write: at
 * SaaS scale one takes tens of seconds, and a change arriving meanwhile must still be applied at
 * once. The states handed over are immutable, so the writer reads them while the feed goes on.
 *
 * <p>One write at a time, and at most one state waiting: a state submitted while another waits
 * replaces it, as only the newest is worth writing. The thread starts with the first submit and
 * ends on {@link #close}.
 */
final class SnapshotWriter implements AutoCloseable {
  /** The name of the writer thread, as it shows in thread dumps. */
  static final String THREAD_NAME = "turnpike-config-snapshot";

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

  /** What writes one state; {@link SnapshotFile#save} in production. */
  interface Save {
    void save(ConfigState state) throws IOException;
  }

  private final Save save;
  private final String target;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private ConfigState pending;
  private boolean writing;
  private boolean closed;
  private boolean failed;
  private Thread thread;

  SnapshotWriter(Save save, String target) {
    this.save = Objects.requireNonNull(save, "save");
    this.target = target;
  }

  SnapshotWriter(SnapshotFile file) {
    this(file::save, file.path().toString());
  }

  /** Hands {@code state} over to be written; returns at once. Ignored once closed. */
  void submit(ConfigState state) {
    Objects.requireNonNull(state, "state");
    lock.lock();
    try {
      if (closed) {
        return;
      }
      pending = state;
      if (thread == null) {
        thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).start(this::run);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a write failed since the last call; the caller submits a state again later, as a failed
   * write leaves the previous file in place.
   */
  boolean takeFailure() {
    lock.lock();
    try {
      boolean result = failed;
      failed = false;
      return result;
    } finally {
      lock.unlock();
    }
  }

  /** Whether nothing is being written or waiting to be. */
  boolean idle() {
    lock.lock();
    try {
      return pending == null && !writing;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what is waiting, then stops the thread, waiting up to {@code timeout} for both; a write
   * still running after it goes on in the background (the temporary file keeps the old one safe).
   */
  void close(Duration timeout) {
    Thread running;
    lock.lock();
    try {
      closed = true;
      running = thread;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (running == null || running == Thread.currentThread()) {
      return;
    }
    try {
      if (!running.join(timeout)) {
        LOG.warn("Config snapshot file {} still being written after {}", target, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  private void run() {
    while (true) {
      ConfigState state;
      lock.lock();
      try {
        while (pending == null && !closed) {
          changed.await(1, TimeUnit.MINUTES);
        }
        if (pending == null) {
          return;
        }
        state = pending;
        pending = null;
        writing = true;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      boolean ok = write(state);
      lock.lock();
      try {
        writing = false;
        failed |= !ok;
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean write(ConfigState state) {
    long started = System.nanoTime();
    try {
      save.save(state);
      LOG.debug(
          "Config snapshot file {} written: version {} in {} ms",
          target,
          state.version(),
          (System.nanoTime() - started) / 1_000_000);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot write config snapshot file {}; will retry", target, e);
      return false;
    }
  }
}
