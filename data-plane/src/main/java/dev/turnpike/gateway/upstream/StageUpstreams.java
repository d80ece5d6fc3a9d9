package dev.turnpike.gateway.upstream;

import java.util.Map;

/** The upstream pools of one deployed stage, by name. */
public final class StageUpstreams {
  public static final StageUpstreams NONE = new StageUpstreams(Map.of());

  private final Map<String, UpstreamPool> pools;

  StageUpstreams(Map<String, UpstreamPool> pools) {
    this.pools = Map.copyOf(pools);
  }

  /** The pool named, or null. */
  public UpstreamPool pool(String name) {
    return pools.get(name);
  }

  Map<String, UpstreamPool> pools() {
    return pools;
  }
}
