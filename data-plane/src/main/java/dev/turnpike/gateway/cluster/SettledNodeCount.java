package dev.turnpike.gateway.cluster;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live node count this node reports, held while it cannot trust what it reads.
 *
 * <p>While its own heartbeats do not come back (Kafka out of reach) the count stays what it was:
 * the node cannot tell a lost cluster from a lost broker, and dropping to one node would let every
 * node admit the whole limit. Once they come back, it waits one heartbeat interval, in which every
 * other reachable node is heard from, before it counts again.
 */
final class SettledNodeCount {
  /** What one look at the directory did to the count. */
  enum Update {
    /** Not counted: this node's own heartbeat is missing or came back less than an interval ago. */
    UNSETTLED,
    SAME,
    CHANGED
  }

  private static final Logger LOG = LoggerFactory.getLogger(SettledNodeCount.class);

  private final Duration heartbeat;
  private final IntConsumer onCount;
  private volatile int nodeCount;
  private long selfLiveSince = -1;

  /**
   * @param initialCount the count reported until the live one is known
   * @param onCount called with each new count (at least 1)
   */
  SettledNodeCount(int initialCount, Duration heartbeat, IntConsumer onCount) {
    this.nodeCount = Math.max(1, initialCount);
    this.heartbeat = heartbeat;
    this.onCount = onCount;
  }

  /** The count last reported (the initial one until the first is known); any thread. */
  int current() {
    return nodeCount;
  }

  /**
   * Takes the directory's {@code live} count (empty while this node's own heartbeat is not in it),
   * read at {@code readAtMillis}, and reports it when it is settled and new.
   */
  Update observe(OptionalInt live, long readAtMillis) {
    if (live.isEmpty()) {
      selfLiveSince = -1;
      return Update.UNSETTLED;
    }
    if (selfLiveSince < 0) {
      selfLiveSince = readAtMillis;
      return Update.UNSETTLED;
    }
    if (readAtMillis - selfLiveSince < heartbeat.toMillis()) {
      return Update.UNSETTLED;
    }
    // A heartbeat interval after its own heartbeat came back, every node that reaches Kafka has
    // been heard from too: counting earlier would, at start or after an outage, see this node
    // alone and admit the whole limit for a moment.
    return report(Math.max(1, live.getAsInt())) ? Update.CHANGED : Update.SAME;
  }

  private boolean report(int count) {
    if (count == nodeCount) {
      return false;
    }
    LOG.info("gateway nodes alive: {} (was {}); limits are re-shared among them", count, nodeCount);
    nodeCount = count;
    onCount.accept(count);
    return true;
  }
}
