package dev.turnpike.gateway.config;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.quota.QuotaState;
import dev.turnpike.gateway.snapshot.ShardedMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * One complete, immutable view of a node's configuration, as the config topics held it up to {@link
 * #positions()}. The gateway compiles it and swaps it in whole; nothing in it ever changes.
 *
 * <p>The maps are immutable and are shared between successive states when their topic did not
 * change; a changed one is a {@link ShardedMap} sharing all but the touched shards with the
 * previous state's, so a new state per poll batch costs the size of its changes.
 *
 * @param version grows with every state the feed publishes; a node started from its snapshot file
 *     continues from the file's version
 * @param deployments stage snapshots by {@code tenant/api/stage}
 * @param keysByHash API keys by the SHA-256 hex of the key
 * @param plans usage plans by {@code tenant/plan}
 * @param quotaStates metering's quota counts by {@code keyId/planId}
 * @param domains custom domains by their lower-case name
 * @param positions the next offset to read per topic partition; what this state includes
 */
public record ConfigState(
    long version,
    Map<String, DeploymentSnapshot> deployments,
    Map<String, KeyRecord> keysByHash,
    Map<String, PlanRecord> plans,
    Map<String, QuotaState> quotaStates,
    Map<String, DomainRecord> domains,
    Map<TopicPartition, Long> positions) {

  private static final ConfigState EMPTY =
      new ConfigState(0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public ConfigState {
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, got " + version);
    }
    // Already immutable maps are kept as they are, so states built from each other share.
    deployments = ShardedMap.copyOf(Objects.requireNonNull(deployments, "deployments"));
    keysByHash = ShardedMap.copyOf(Objects.requireNonNull(keysByHash, "keysByHash"));
    plans = ShardedMap.copyOf(Objects.requireNonNull(plans, "plans"));
    quotaStates = ShardedMap.copyOf(Objects.requireNonNull(quotaStates, "quotaStates"));
    domains = ShardedMap.copyOf(Objects.requireNonNull(domains, "domains"));
    positions = Map.copyOf(Objects.requireNonNull(positions, "positions"));
  }

  /** A state without custom domains. */
  public ConfigState(
      long version,
      Map<String, DeploymentSnapshot> deployments,
      Map<String, KeyRecord> keysByHash,
      Map<String, PlanRecord> plans,
      Map<String, QuotaState> quotaStates,
      Map<TopicPartition, Long> positions) {
    this(version, deployments, keysByHash, plans, quotaStates, Map.of(), positions);
  }

  /** Version 0, nothing configured: what a node holds before its first state arrives. */
  public static ConfigState empty() {
    return EMPTY;
  }

  /** This state with other positions and the same version and content. */
  public ConfigState withPositions(Map<TopicPartition, Long> newPositions) {
    return new ConfigState(
        version, deployments, keysByHash, plans, quotaStates, domains, newPositions);
  }

  /** Whether both states hold the same records, whatever their versions and positions. */
  public boolean sameContentAs(ConfigState other) {
    return deployments.equals(other.deployments)
        && keysByHash.equals(other.keysByHash)
        && plans.equals(other.plans)
        && quotaStates.equals(other.quotaStates)
        && domains.equals(other.domains);
  }

  /** How many records the state holds across its five maps. */
  public int size() {
    return deployments.size()
        + keysByHash.size()
        + plans.size()
        + quotaStates.size()
        + domains.size();
  }
}
