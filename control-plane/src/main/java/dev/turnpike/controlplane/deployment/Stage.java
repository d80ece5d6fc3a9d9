package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageTracing;
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
 * @param tracing the stage's traces (API Gateway's {@code tracingEnabled}, with a sampling
 *     percentage); null reads as {@link StageTracing#OFF}
 * @param accessLogFormat the owner's access-log format (API Gateway's {@code
 *     accessLogSettings.format}, see {@link dev.turnpike.contracts.config.AccessLogFormat}), null
 *     for none, when the gateway writes {@code accessLogFields} as JSON
 * @param executionLogging the stage's execution logs (API Gateway's {@code loggingLevel} and {@code
 *     dataTraceEnabled}); null reads as {@link StageExecutionLogging#OFF}
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
    StageCanary canary,
    StageTracing tracing,
    String accessLogFormat,
    StageExecutionLogging executionLogging) {
  public Stage {
    variables = Map.copyOf(variables);
    methodThrottles = Map.copyOf(methodThrottles);
    accessLogFields = List.copyOf(accessLogFields);
    cache = cache == null ? StageCacheConfig.OFF : cache;
    tracing = tracing == null ? StageTracing.OFF : tracing;
    executionLogging = executionLogging == null ? StageExecutionLogging.OFF : executionLogging;
    sourceIpPolicy = sourceIpPolicy == null || sourceIpPolicy.isEmpty() ? null : sourceIpPolicy;
  }

  /** A stage built by name: without variables, limits, a cache, a canary or traces until set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this stage, for a copy with some components changed. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .apiId(apiId)
        .name(name)
        .description(description)
        .variables(variables)
        .throttle(throttle)
        .methodThrottles(methodThrottles)
        .accessLogFields(accessLogFields)
        .sourceIpPolicy(sourceIpPolicy)
        .deploymentId(deploymentId)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .cache(cache)
        .canary(canary)
        .tracing(tracing)
        .accessLogFormat(accessLogFormat)
        .executionLogging(executionLogging);
  }

  /** This stage with other trace settings. */
  public Stage withTracing(StageTracing tracing, Instant now) {
    return toBuilder().tracing(tracing).updatedAt(now).build();
  }

  /** This stage with another access-log format, null for none. */
  public Stage withAccessLogFormat(String accessLogFormat, Instant now) {
    return toBuilder().accessLogFormat(accessLogFormat).updatedAt(now).build();
  }

  /** This stage with other execution-log settings. */
  public Stage withExecutionLogging(StageExecutionLogging executionLogging, Instant now) {
    return toBuilder().executionLogging(executionLogging).updatedAt(now).build();
  }

  /** This stage with another canary, null for none. */
  public Stage withCanary(StageCanary canary, Instant now) {
    return toBuilder().canary(canary).updatedAt(now).build();
  }

  /**
   * The canary promoted: its deployment becomes the stage's, its variable overrides merge into the
   * stage's variables (as API Gateway promotes), and the stage has no canary any more.
   */
  public Stage promoted(Instant now) {
    return toBuilder()
        .variables(canary.mergedInto(variables))
        .deploymentId(canary.deploymentId())
        .canary(null)
        .updatedAt(now)
        .build();
  }

  /** This stage with other response cache settings. */
  public Stage withCache(StageCacheConfig cache, Instant now) {
    return toBuilder().cache(cache).updatedAt(now).build();
  }

  public Stage pointedAt(UUID deployment, Instant now) {
    return toBuilder().deploymentId(deployment).updatedAt(now).build();
  }

  /** Builds a stage component by component; one left unset keeps its {@link #builder()} default. */
  public static final class Builder {
    private UUID id;
    private UUID apiId;
    private String name;
    private String description;
    private Map<String, String> variables = Map.of();
    private ThrottleLimit throttle;
    private Map<String, ThrottleLimit> methodThrottles = Map.of();
    private List<String> accessLogFields = List.of();
    private SourceIpPolicy sourceIpPolicy;
    private UUID deploymentId;
    private Instant createdAt;
    private Instant updatedAt;
    private StageCacheConfig cache = StageCacheConfig.OFF;
    private StageCanary canary;
    private StageTracing tracing = StageTracing.OFF;
    private String accessLogFormat;
    private StageExecutionLogging executionLogging = StageExecutionLogging.OFF;

    private Builder() {}

    public Builder id(UUID id) {
      this.id = id;
      return this;
    }

    public Builder apiId(UUID apiId) {
      this.apiId = apiId;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder variables(Map<String, String> variables) {
      this.variables = variables;
      return this;
    }

    public Builder throttle(ThrottleLimit throttle) {
      this.throttle = throttle;
      return this;
    }

    public Builder methodThrottles(Map<String, ThrottleLimit> methodThrottles) {
      this.methodThrottles = methodThrottles;
      return this;
    }

    public Builder accessLogFields(List<String> accessLogFields) {
      this.accessLogFields = accessLogFields;
      return this;
    }

    public Builder sourceIpPolicy(SourceIpPolicy sourceIpPolicy) {
      this.sourceIpPolicy = sourceIpPolicy;
      return this;
    }

    public Builder deploymentId(UUID deploymentId) {
      this.deploymentId = deploymentId;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder cache(StageCacheConfig cache) {
      this.cache = cache;
      return this;
    }

    public Builder canary(StageCanary canary) {
      this.canary = canary;
      return this;
    }

    public Builder tracing(StageTracing tracing) {
      this.tracing = tracing;
      return this;
    }

    public Builder accessLogFormat(String accessLogFormat) {
      this.accessLogFormat = accessLogFormat;
      return this;
    }

    public Builder executionLogging(StageExecutionLogging executionLogging) {
      this.executionLogging = executionLogging;
      return this;
    }

    public Stage build() {
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
          updatedAt,
          cache,
          canary,
          tracing,
          accessLogFormat,
          executionLogging);
    }
  }
}
