package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.ThrottleLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A named stage of an API (e.g. {@code prod}) and the settings the gateway applies to it.
 *
 * @param throttle the stage-wide limit, null for none
 * @param methodThrottles per-method limits keyed {@code "/path/METHOD"}
 * @param accessLogFields the gateway's access-log fields for this stage, empty for its default
 * @param sourceIpPolicy the stage's allow and deny lists, added to its API's; null for none
 * @param deploymentId the deployment the stage serves, null before the first deployment
 * @param cache the stage's response cache with its flush generation; null reads as {@link
 *     StageCacheConfig#OFF}
 * @param canary the stage's canary, null for none
 */
public record Stage(
    UUID id,
    UUID apiId,
    String name,
    String description,
    Map<String, String> variables,
    ThrottleLimit throttle,
    Map<String, ThrottleLimit> methodThrottles,
    List<String> accessLogFields,
    SourceIpPolicy sourceIpPolicy,
    UUID deploymentId,
    Instant createdAt,
    Instant updatedAt,
    StageCacheConfig cache,
    StageCanary canary) {
  public Stage {
    variables = Map.copyOf(variables);
    methodThrottles = Map.copyOf(methodThrottles);
    accessLogFields = List.copyOf(accessLogFields);
    cache = cache == null ? StageCacheConfig.OFF : cache;
    sourceIpPolicy = sourceIpPolicy == null || sourceIpPolicy.isEmpty() ? null : sourceIpPolicy;
  }

  /** A stage without a canary. */
  public Stage(
      UUID id,
      UUID apiId,
      String name,
      String description,
      Map<String, String> variables,
      ThrottleLimit throttle,
      Map<String, ThrottleLimit> methodThrottles,
      List<String> accessLogFields,
      SourceIpPolicy sourceIpPolicy,
      UUID deploymentId,
      Instant createdAt,
      Instant updatedAt,
      StageCacheConfig cache) {
    this(
        id,
        apiId,
        name,
        description,
        variables,
        throttle,
        methodThrottles,
        accessLogFields,
        sourceIpPolicy,
        deploymentId,
        createdAt,
        updatedAt,
        cache,
        null);
  }

  /** This stage with another canary, null for none. */
  public Stage withCanary(StageCanary canary, Instant now) {
    return new Stage(
        id,
        apiId,
        name,
        description,
        variables,
        throttle,
        methodThrottles,
        accessLogFields,
        sourceIpPolicy,
        deploymentId,
        createdAt,
        now,
        cache,
        canary);
  }

  /**
   * The canary promoted: its deployment becomes the stage's, its variable overrides merge into the
   * stage's variables (as API Gateway promotes), and the stage has no canary any more.
   */
  public Stage promoted(Instant now) {
    return new Stage(
        id,
        apiId,
        name,
        description,
        canary.mergedInto(variables),
        throttle,
        methodThrottles,
        accessLogFields,
        sourceIpPolicy,
        canary.deploymentId(),
        createdAt,
        now,
        cache,
        null);
  }

  /** This stage with other response cache settings. */
  public Stage withCache(StageCacheConfig cache, Instant now) {
    return new Stage(
        id,
        apiId,
        name,
        description,
        variables,
        throttle,
        methodThrottles,
        accessLogFields,
        sourceIpPolicy,
        deploymentId,
        createdAt,
        now,
        cache,
        canary);
  }

  public Stage pointedAt(UUID deployment, Instant now) {
    return new Stage(
        id,
        apiId,
        name,
        description,
        variables,
        throttle,
        methodThrottles,
        accessLogFields,
        sourceIpPolicy,
        deployment,
        createdAt,
        now,
        cache,
        canary);
  }
}
