package dev.turnpike.gateway.config;

import java.util.Set;

/**
 * Which records a published {@link ConfigState} changed since the previous one the listener got, by
 * their topic keys, so the listener can apply a change at the cost of its own size. {@link
 * #everything()} means the listener must compare the whole state with what it holds: the first
 * state from the snapshot file, and the state the feed publishes once caught up with Kafka.
 *
 * @param deployments keys ({@code tenant/api/stage}) of deployments added, replaced or deleted
 * @param keys hashes of API keys added, replaced or deleted
 * @param plans keys ({@code tenant/plan}) of plans added, replaced or deleted
 * @param quotaStates keys ({@code subject/planId}) of quota states added, replaced or deleted
 * @param domains names of custom domains added, replaced or deleted
 */
public record ConfigChanges(
    boolean all,
    Set<String> deployments,
    Set<String> keys,
    Set<String> plans,
    Set<String> quotaStates,
    Set<String> domains) {

  private static final ConfigChanges EVERYTHING =
      new ConfigChanges(true, Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public ConfigChanges {
    deployments = Set.copyOf(deployments);
    keys = Set.copyOf(keys);
    plans = Set.copyOf(plans);
    quotaStates = Set.copyOf(quotaStates);
    domains = Set.copyOf(domains);
  }

  /** Changes that touch no custom domain. */
  public ConfigChanges(
      boolean all,
      Set<String> deployments,
      Set<String> keys,
      Set<String> plans,
      Set<String> quotaStates) {
    this(all, deployments, keys, plans, quotaStates, Set.of());
  }

  public static ConfigChanges everything() {
    return EVERYTHING;
  }

  /** Whether the custom domains (certificates, trust, mappings) changed. */
  public boolean touchesDomains() {
    return all || !domains.isEmpty();
  }

  /** Whether the deployments, keys or plans changed: what the gateway's runtime is built from. */
  public boolean touchesRuntime() {
    return all || !deployments.isEmpty() || !keys.isEmpty() || !plans.isEmpty();
  }
}
