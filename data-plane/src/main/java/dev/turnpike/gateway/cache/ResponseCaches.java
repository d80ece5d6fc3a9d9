package dev.turnpike.gateway.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.StageCacheConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's stage caches, kept across config swaps so that a redeploy or a key change does not
 * empty them: only a flush (a higher flush generation in the stage's snapshot), turning the cache
 * off, or the stage going away does. Updated on the config thread, read on event loops.
 */
public final class ResponseCaches {
  private final Settings settings;
  private final Ticker ticker;
  private final Map<String, StageCache> byStage = new ConcurrentHashMap<>();

  /**
   * A node's limits on what owners configure.
   *
   * @param maxStageCapacityBytes the most memory one stage's cache may use on this node, whatever
   *     its owner asks for
   * @param maxEntryBytes a larger response body is passed through without being cached (or
   *     buffered)
   */
  public record Settings(long maxStageCapacityBytes, int maxEntryBytes) {
    public static final Settings DEFAULTS = new Settings(256L * 1024 * 1024, 1024 * 1024);

    public Settings {
      if (maxStageCapacityBytes < 0) {
        throw new IllegalArgumentException("maxStageCapacityBytes must be >= 0");
      }
      if (maxEntryBytes < 0) {
        throw new IllegalArgumentException("maxEntryBytes must be >= 0");
      }
    }
  }

  public ResponseCaches(Settings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
  }

  /** Node defaults and the system clock. */
  public static ResponseCaches withDefaults() {
    return new ResponseCaches(Settings.DEFAULTS, Ticker.systemTicker());
  }

  public int maxEntryBytes() {
    return settings.maxEntryBytes();
  }

  /** The ticker entries age by, in nanoseconds. */
  public Ticker ticker() {
    return ticker;
  }

  /** The stage's cache with the snapshot's settings applied; null when the stage caches nothing. */
  public StageCache forStage(DeploymentSnapshot deployment) {
    String stage = stageKey(deployment);
    StageCacheConfig config = deployment.cache();
    long capacity = Math.min(config.capacityBytes(), settings.maxStageCapacityBytes());
    if (!config.enabled() || capacity <= 0) {
      StageCache dropped = byStage.remove(stage);
      if (dropped != null) {
        dropped.clear();
      }
      return null;
    }
    StageCache cache =
        byStage.computeIfAbsent(
            stage, ignored -> new StageCache(capacity, config.flushGeneration(), ticker));
    cache.update(capacity, config.flushGeneration());
    return cache;
  }

  /** The stage is no longer served by this node: its memory goes back. */
  public void forget(DeploymentSnapshot deployment) {
    StageCache dropped = byStage.remove(stageKey(deployment));
    if (dropped != null) {
      dropped.clear();
    }
  }

  private static String stageKey(DeploymentSnapshot deployment) {
    return deployment.tenantId() + '\n' + deployment.apiId() + '\n' + deployment.stage();
  }
}
