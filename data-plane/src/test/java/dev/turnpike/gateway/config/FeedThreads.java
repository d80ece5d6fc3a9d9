package dev.turnpike.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the thread a feed started, and an address where no Kafka answers. */
final class FeedThreads {
  private FeedThreads() {}

  static Set<Thread> current() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(ConfigFeed.THREAD_NAME)) {
        threads.add(thread);
      }
    }
    return threads;
  }

  /** The one feed thread that is alive now and was not in {@code before}. */
  static Thread startedSince(Set<Thread> before) {
    Set<Thread> now = current();
    now.removeAll(before);
    List<Thread> started = List.copyOf(now);
    if (started.size() != 1) {
      throw new IllegalStateException("expected one new feed thread, found " + started);
    }
    return started.get(0);
  }

  /** A local address nothing listens on: a port the OS handed out and that was closed again. */
  static String deadKafkaAddress() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
