package dev.turnpike.gateway.cluster;

import dev.turnpike.gateway.throttle.DemandReport;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The nodes heard from lately, by the heartbeats read from the membership topic. A node counts as
 * alive while its last heartbeat is younger than the expiry, by this node's clock at the time the
 * heartbeat was read; a heartbeat whose sender stamped it longer ago than the expiry (an old record
 * read back from the topic at start) does not make a node alive.
 *
 * <p>Only the membership thread changes it; {@link #peers()} is read from any thread.
 */
public final class NodeDirectory {
  private record Seen(String address, long atMillis, DemandReport demand) {}

  private final String selfId;
  private final long expiryMillis;
  private final Map<String, String> staticPeers;
  private final Map<String, Seen> seen = new HashMap<>();
  private volatile Map<String, String> peers;

  /**
   * @param staticPeers the operator's peers ({@code TURNPIKE_GATEWAY_PEERS}); they are always
   *     peers, and their address wins over the one a heartbeat gives
   */
  public NodeDirectory(String selfId, Duration expiry, Map<String, String> staticPeers) {
    this.selfId = selfId;
    this.expiryMillis = expiry.toMillis();
    this.staticPeers = Map.copyOf(staticPeers);
    this.peers = this.staticPeers;
  }

  /**
   * A heartbeat read at {@code nowMillis}.
   *
   * @return true when it brings another node's demand that differs from the one that node last
   *     reported (a new node's first report included): the shares computed before are stale
   */
  public synchronized boolean heard(Heartbeat heartbeat, long nowMillis) {
    if (nowMillis - heartbeat.sentAtMillis() >= expiryMillis) {
      return false;
    }
    Seen before =
        seen.put(heartbeat.nodeId(), new Seen(heartbeat.address(), nowMillis, heartbeat.demand()));
    return !heartbeat.nodeId().equals(selfId)
        && (before == null || !before.demand().equals(heartbeat.demand()));
  }

  /** A tombstone: the node stopped cleanly. */
  public synchronized void left(String nodeId) {
    seen.remove(nodeId);
  }

  /**
   * Forgets the nodes not heard from within the expiry and publishes the live ones as peers.
   *
   * @return how many nodes are alive, this one included; empty while this node's own heartbeat has
   *     not come back within the expiry, since then the topic is not being read or written (Kafka
   *     out of reach) and the heartbeats missing say nothing about the other nodes
   */
  public synchronized OptionalInt refresh(long nowMillis) {
    seen.values().removeIf(node -> nowMillis - node.atMillis() >= expiryMillis);
    Map<String, String> live = new LinkedHashMap<>();
    seen.forEach(
        (nodeId, node) -> {
          if (!nodeId.equals(selfId)) {
            live.put(nodeId, node.address());
          }
        });
    live.putAll(staticPeers);
    peers = Map.copyOf(live);
    return seen.containsKey(selfId) ? OptionalInt.of(seen.size()) : OptionalInt.empty();
  }

  /**
   * The demand the other live nodes last reported, as of the latest {@link #refresh}: a node that
   * left or expired reports nothing any more.
   */
  public synchronized List<DemandReport> othersDemand() {
    return seen.entrySet().stream()
        .filter(node -> !node.getKey().equals(selfId))
        .map(node -> node.getValue().demand())
        .toList();
  }

  /**
   * The other nodes' traffic addresses by node id: the live ones and the operator's. A view that
   * follows the directory: each read sees the latest {@link #refresh}.
   */
  public Map<String, String> peers() {
    return new AbstractMap<>() {
      @Override
      public String get(Object nodeId) {
        return peers.get(nodeId);
      }

      @Override
      public boolean containsKey(Object nodeId) {
        return peers.containsKey(nodeId);
      }

      @Override
      public Set<Entry<String, String>> entrySet() {
        return peers.entrySet();
      }
    };
  }
}
