package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.turnpike.contracts.config.AccessLogFields;
import dev.turnpike.contracts.config.AccessLogFormat;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.HttpMethods;
import dev.turnpike.controlplane.api.ResourcePath;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.plan.PlanPublisher;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Use cases of an API's stages. A stage that serves a deployment is republished to the gateway
 * whenever its settings change, and withdrawn when it is deleted.
 */
public final class Stages {
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Pattern VARIABLE_NAME = Pattern.compile("^[A-Za-z0-9_]{1,64}$");
  private static final Pattern VARIABLE_VALUE =
      Pattern.compile("^[A-Za-z0-9\\-._~:/?#&=,]{0,512}$");
  private static final Pattern METHOD_KEY = Pattern.compile("^(/.*)/([A-Z]+)$");

  /**
   * @param sourceIpPolicy the stage's allow and deny lists, added to its API's; null for none
   */
  public record CreateStage(
      String name,
      String description,
      Map<String, String> variables,
      ThrottleInput throttle,
      Map<String, ThrottleInput> methodThrottles,
      List<String> accessLogFields,
      SourceIpPolicy sourceIpPolicy) {
    /** A stage without a resource policy of its own. */
    public CreateStage(
        String name,
        String description,
        Map<String, String> variables,
        ThrottleInput throttle,
        Map<String, ThrottleInput> methodThrottles,
        List<String> accessLogFields) {
      this(name, description, variables, throttle, methodThrottles, accessLogFields, null);
    }
  }

  /**
   * A stage as the API and the console show it: its settings and the delivery of what it serves
   * (null when it serves nothing).
   */
  public record StageView(@JsonUnwrapped Stage stage, Delivery delivery) {}

  /** The stage's new settings, all of them: what is left out is cleared, as with PUT. */
  public record UpdateStage(
      String description,
      Map<String, String> variables,
      ThrottleInput throttle,
      Map<String, ThrottleInput> methodThrottles,
      List<String> accessLogFields,
      SourceIpPolicy sourceIpPolicy) {
    /** New settings without a resource policy of the stage's own. */
    public UpdateStage(
        String description,
        Map<String, String> variables,
        ThrottleInput throttle,
        Map<String, ThrottleInput> methodThrottles,
        List<String> accessLogFields) {
      this(description, variables, throttle, methodThrottles, accessLogFields, null);
    }
  }

  private final StagePublisher publisher;
  private final PlanPublisher plans;
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;
  private final TxStore<DeploymentStore> deploymentStore;

  public Stages(
      TxStore<ApiStore> apiStore,
      TxStore<DeploymentStore> deploymentStore,
      StagePublisher publisher,
      PlanPublisher plans,
      OwnerLimits limits) {
    this.apiStore = apiStore;
    this.deploymentStore = deploymentStore;
    this.publisher = publisher;
    this.plans = plans;
    this.limits = limits;
  }

  public Stage create(TenantTx tx, UUID apiId, CreateStage in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    Validation v = new Validation();
    if (v.required("/name", in.name())) {
      v.matches("/name", in.name(), NAME, "must be 1 to 64 letters, digits, '_' or '-'");
    }
    validateSettings(
        v,
        in.description(),
        in.variables(),
        in.throttle(),
        in.methodThrottles(),
        in.accessLogFields());
    Apis.validateEdge(v, in.sourceIpPolicy(), null);
    v.throwIfInvalid();
    limits.check(Limit.STAGE_VARIABLES, orEmpty(in.variables()).size(), "/variables");
    apiStore.in(tx).lockApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    limits.check(Limit.STAGES_PER_API, deploymentStore.in(tx).listStages(apiId).size() + 1L, null);
    Stage stage =
        Stage.builder()
            .id(UUID.randomUUID())
            .apiId(apiId)
            .name(in.name())
            .description(in.description())
            .variables(orEmpty(in.variables()))
            .throttle(ThrottleInput.limit(in.throttle()))
            .methodThrottles(ThrottleInput.limits(in.methodThrottles()))
            .accessLogFields(in.accessLogFields() == null ? List.of() : in.accessLogFields())
            .sourceIpPolicy(in.sourceIpPolicy())
            .createdAt(tx.now())
            .updatedAt(tx.now())
            .build();
    deploymentStore.in(tx).insertStage(stage);
    tx.audit().record("stage.create", "stage", stage.id(), null, stage);
    return stage;
  }

  public List<Stage> list(TenantTx tx, UUID apiId) {
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> ApiFailure.notFound("API " + apiId));
    return deploymentStore.in(tx).listStages(apiId);
  }

  public Stage get(TenantTx tx, UUID apiId, UUID stageId) {
    return deploymentStore.in(tx).findStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
  }

  /** The stage with the delivery of what it serves now. */
  public StageView view(TenantTx tx, Stage stage) {
    return new StageView(stage, deploymentStore.in(tx).stageDelivery(stage));
  }

  public Stage update(TenantTx tx, UUID apiId, UUID stageId, UpdateStage in) {
    get(
        tx, apiId,
        stageId); // The resource must exist before its input is judged: 404 comes before 400.
    Validation v = new Validation();
    validateSettings(
        v,
        in.description(),
        in.variables(),
        in.throttle(),
        in.methodThrottles(),
        in.accessLogFields());
    Apis.validateEdge(v, in.sourceIpPolicy(), null);
    v.throwIfInvalid();
    limits.check(Limit.STAGE_VARIABLES, orEmpty(in.variables()).size(), "/variables");
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Stage after =
        before.toBuilder()
            .description(in.description())
            .variables(orEmpty(in.variables()))
            .throttle(ThrottleInput.limit(in.throttle()))
            .methodThrottles(ThrottleInput.limits(in.methodThrottles()))
            .accessLogFields(in.accessLogFields() == null ? List.of() : in.accessLogFields())
            .sourceIpPolicy(in.sourceIpPolicy())
            .updatedAt(tx.now())
            .build();
    if (after.canary() != null) {
      limits.check(
          Limit.STAGE_VARIABLES, after.canary().mergedInto(after.variables()).size(), "/variables");
    }
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit().record("stage.update", "stage", stageId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Set<UUID> boundPlans = plans.plansBoundTo(tx, List.of(stageId));
    store.deleteStage(stageId);
    if (before.deploymentId() != null) {
      publisher.withdraw(tx, before);
    }
    plans.republish(tx, boundPlans);
    tx.audit().record("stage.delete", "stage", stageId, before, null);
  }

  /** Withdraws every deployed stage of an API that is about to be deleted. */
  public Runnable beforeApiDelete(TenantTx tx, UUID apiId) {
    List<Stage> stages = deploymentStore.in(tx).listStages(apiId);
    Set<UUID> boundPlans = plans.plansBoundTo(tx, stages.stream().map(Stage::id).toList());
    for (Stage stage : stages) {
      if (stage.deploymentId() != null) {
        publisher.withdraw(tx, stage);
      }
    }
    return () -> plans.republish(tx, new HashSet<>(boundPlans));
  }

  // Traces (issue 20): whether the gateway traces the stage's requests, and how many of them.

  /**
   * Sets the stage's tracing (API Gateway's {@code tracingEnabled}, plus the share of requests
   * traced); republishes it if deployed.
   */
  public Stage setTracing(TenantTx tx, UUID apiId, UUID stageId, TracingInput in) {
    get(tx, apiId, stageId);
    Validation v = new Validation();
    if (in.tracingEnabled() == null) {
      v.add("/tracingEnabled", "is required");
    }
    StageTracing tracing = in.toTracing();
    tracing.problems().forEach(problem -> v.add(problem[0].replace("/tracing", ""), problem[1]));
    v.throwIfInvalid();
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Stage after = before.withTracing(tracing, tx.now());
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit().record("stage.tracing.update", "stage", stageId, before.tracing(), after.tracing());
    return after;
  }

  /**
   * A stage's tracing as an owner sets it; {@code samplingPercentage} defaults to X-Ray's 5.
   *
   * @param samplingPercentage 0..100, of the requests that do not arrive with a sampled {@code
   *     traceparent}
   */
  public record TracingInput(Boolean tracingEnabled, Double samplingPercentage) {
    StageTracing toTracing() {
      return new StageTracing(
          Boolean.TRUE.equals(tracingEnabled),
          samplingPercentage == null
              ? StageTracing.DEFAULT_SAMPLING_PERCENTAGE
              : samplingPercentage);
    }
  }

  // Access logs in the owner's format: API Gateway's accessLogSettings.format for the stage.

  /**
   * Sets the stage's access-log format, refused with each of {@link AccessLogFormat#problems} under
   * {@code /format}; republishes the stage if deployed.
   */
  public Stage setAccessLogFormat(TenantTx tx, UUID apiId, UUID stageId, AccessLogInput in) {
    get(tx, apiId, stageId);
    Validation v = new Validation();
    AccessLogFormat.problems(in.format()).forEach(problem -> v.add("/format", problem));
    v.throwIfInvalid();
    return changeAccessLogFormat(tx, apiId, stageId, in.format());
  }

  /** Clears the stage's access-log format, so the gateway writes its JSON fields again. */
  public Stage clearAccessLogFormat(TenantTx tx, UUID apiId, UUID stageId) {
    get(tx, apiId, stageId);
    return changeAccessLogFormat(tx, apiId, stageId, null);
  }

  private Stage changeAccessLogFormat(TenantTx tx, UUID apiId, UUID stageId, String format) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Stage after = before.withAccessLogFormat(format, tx.now());
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit()
        .record(
            "stage.accessLog.update",
            "stage",
            stageId,
            before.accessLogFormat(),
            after.accessLogFormat());
    return after;
  }

  /** A stage's access-log format as an owner sets it: text with {@code $context} variables. */
  public record AccessLogInput(String format) {}

  // Execution logs (issue 20): API Gateway's loggingLevel and dataTraceEnabled for the stage.

  /**
   * Sets the stage's execution logs, refused with a problem under {@code /loggingLevel} or {@code
   * /dataTraceEnabled} (nothing changed); republishes the stage if deployed.
   */
  public Stage setExecutionLogging(
      TenantTx tx, UUID apiId, UUID stageId, ExecutionLoggingInput in) {
    get(tx, apiId, stageId);
    Validation v = new Validation();
    StageExecutionLogging.Level level = null;
    if (v.required("/loggingLevel", in.loggingLevel())) {
      try {
        level = StageExecutionLogging.Level.valueOf(in.loggingLevel());
      } catch (IllegalArgumentException e) {
        v.add("/loggingLevel", "must be one of OFF, ERROR, INFO");
      }
    }
    if (level == StageExecutionLogging.Level.OFF && Boolean.TRUE.equals(in.dataTraceEnabled())) {
      // API Gateway writes bodies only into execution logs: without a level there is nowhere.
      v.add("/dataTraceEnabled", "needs loggingLevel ERROR or INFO");
    }
    v.throwIfInvalid();
    return changeExecutionLogging(
        tx,
        apiId,
        stageId,
        new StageExecutionLogging(level, Boolean.TRUE.equals(in.dataTraceEnabled())));
  }

  /** Turns the stage's execution logs off, API Gateway's default. */
  public Stage clearExecutionLogging(TenantTx tx, UUID apiId, UUID stageId) {
    get(tx, apiId, stageId);
    return changeExecutionLogging(tx, apiId, stageId, StageExecutionLogging.OFF);
  }

  private Stage changeExecutionLogging(
      TenantTx tx, UUID apiId, UUID stageId, StageExecutionLogging logging) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Stage after = before.withExecutionLogging(logging, tx.now());
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit()
        .record(
            "stage.executionLogging.update",
            "stage",
            stageId,
            before.executionLogging(),
            after.executionLogging());
    return after;
  }

  /**
   * A stage's execution logs as an owner sets them, with API Gateway's names.
   *
   * @param loggingLevel {@code OFF}, {@code ERROR} or {@code INFO}; required
   * @param dataTraceEnabled whether bodies are logged too (each cut at 1 KB); false when absent
   */
  public record ExecutionLoggingInput(String loggingLevel, Boolean dataTraceEnabled) {}

  // Response caching (issue 18): the stage's cache settings and its flush.

  /** Sets the stage's response cache, keeping its flush generation; republishes it if deployed. */
  public Stage setCache(TenantTx tx, UUID apiId, UUID stageId, StageCacheSettings in) {
    get(tx, apiId, stageId);
    Validation v = new Validation();
    in.validate(v);
    v.throwIfInvalid();
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    Stage after = before.withCache(in.toConfig(before.cache().flushGeneration()), tx.now());
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit().record("stage.cache.update", "stage", stageId, before.cache(), after.cache());
    return after;
  }

  /**
   * Flushes the stage's cache on every gateway node: the stage is republished with a higher flush
   * generation, and each node drops what it cached under an older one. No call reaches a node
   * directly.
   */
  public Stage flushCache(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    StageCacheConfig cache = before.cache();
    Stage after =
        before.withCache(
            new StageCacheConfig(
                cache.enabled(),
                cache.capacityBytes(),
                cache.ttlSeconds(),
                cache.methods(),
                cache.shareAcrossKeys(),
                cache.requireAuthorizationForCacheControl(),
                cache.unauthorizedCacheControlHeaderStrategy(),
                cache.flushGeneration() + 1),
            tx.now());
    store.updateStage(after);
    if (after.deploymentId() != null) {
      publisher.publish(tx, after);
    }
    tx.audit()
        .record(
            "stage.cache.flush",
            "stage",
            stageId,
            Map.of("flushGeneration", cache.flushGeneration()),
            Map.of("flushGeneration", cache.flushGeneration() + 1));
    return after;
  }

  // End of response caching.

  // Canary releases (issue 18): a stage's canary, its promotion and its removal.

  /**
   * Sets the stage's canary, replacing any it had: another deployment of the stage's API serving a
   * share of its callers. The stage must serve a deployment already (the canary's base).
   */
  public Stage setCanary(TenantTx tx, UUID apiId, UUID stageId, CanarySettings in) {
    get(tx, apiId, stageId);
    Validation v = new Validation();
    in.validate(v);
    v.throwIfInvalid();
    DeploymentStore store = deploymentStore.in(tx);
    // Only a deployment of this very API: another API's, or another tenant's, is not found here.
    if (store.findDeployment(apiId, in.deploymentId()).isEmpty()) {
      throw ApiFailure.invalid("/deploymentId", "is not a deployment of this API");
    }
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    if (before.deploymentId() == null) {
      throw ApiFailure.conflict("The stage serves no deployment yet; deploy it before a canary");
    }
    StageCanary canary = in.toCanary();
    limits.check(
        Limit.STAGE_VARIABLES,
        canary.mergedInto(before.variables()).size(),
        "/stageVariableOverrides");
    Stage after = before.withCanary(canary, tx.now());
    store.updateStage(after);
    publisher.publish(tx, after);
    tx.audit().record("stage.canary.update", "stage", stageId, before.canary(), after.canary());
    return after;
  }

  /**
   * Promotes the stage's canary: its deployment becomes the stage's and its variable overrides
   * merge into the stage's variables; the stage then has no canary. One snapshot swaps both on
   * every gateway node, so no request falls between them.
   */
  public Stage promoteCanary(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    if (before.canary() == null) {
      throw ApiFailure.conflict("The stage has no canary to promote");
    }
    Stage after = before.promoted(tx.now());
    limits.check(Limit.STAGE_VARIABLES, after.variables().size(), "/variables");
    store.updateStage(after);
    publisher.publish(tx, after);
    tx.audit().record("stage.canary.promote", "stage", stageId, before, after);
    return after;
  }

  /** Removes the stage's canary: every caller gets the stage's deployment again. */
  public Stage deleteCanary(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage before = store.lockStage(apiId, stageId).orElseThrow(() -> notFound(stageId));
    if (before.canary() == null) {
      return before;
    }
    Stage after = before.withCanary(null, tx.now());
    store.updateStage(after);
    publisher.publish(tx, after);
    tx.audit().record("stage.canary.delete", "stage", stageId, before.canary(), null);
    return after;
  }

  // End of canary releases.

  static ApiFailure notFound(UUID stageId) {
    return ApiFailure.notFound("Stage " + stageId);
  }

  private static void validateSettings(
      Validation v,
      String description,
      Map<String, String> variables,
      ThrottleInput throttle,
      Map<String, ThrottleInput> methodThrottles,
      List<String> accessLogFields) {
    v.length("/description", description, 0, 4000);
    validateVariables(v, "/variables/", variables);
    ThrottleInput.validate(v, "/throttle", throttle);
    if (methodThrottles != null) {
      methodThrottles.forEach(
          (key, limit) -> {
            String pointer = "/methodThrottles/" + key.replace("~", "~0").replace("/", "~1");
            String problem = methodKeyProblem(key);
            if (problem != null) {
              v.add(pointer, problem);
            } else if (limit == null) {
              v.add(pointer, "must be an object with rateLimit and burstLimit");
            } else {
              ThrottleInput.validate(v, pointer, limit);
            }
          });
    }
    if (accessLogFields != null) {
      for (int i = 0; i < accessLogFields.size(); i++) {
        if (!AccessLogFields.ALL.contains(accessLogFields.get(i))) {
          v.add(
              "/accessLogFields/" + i, "must be one of " + String.join(", ", AccessLogFields.ALL));
        }
      }
    }
  }

  /** Checks stage variables' names and values, each problem under {@code prefix + name}. */
  static void validateVariables(Validation v, String prefix, Map<String, String> variables) {
    orEmpty(variables)
        .forEach(
            (name, value) -> {
              String pointer = prefix + name;
              if (!VARIABLE_NAME.matcher(name).matches()) {
                v.add(pointer, "a stage variable name is 1 to 64 letters, digits or '_'");
              } else if (value == null || !VARIABLE_VALUE.matcher(value).matches()) {
                v.add(
                    pointer,
                    "a stage variable value is up to 512 of the characters A-Z a-z 0-9 - . _ ~ : / ? # & = ,");
              }
            });
  }

  /** Null when {@code key} is a valid {@code "/path/METHOD"} key, else what is wrong with it. */
  public static String methodKeyProblem(String key) {
    var matcher = METHOD_KEY.matcher(key);
    if (!matcher.matches()) {
      return "must be keyed \"/resource/path/METHOD\", e.g. \"/pets/GET\"";
    }
    if (!HttpMethods.ROUTE_METHODS.contains(matcher.group(2))) {
      return "the method " + HttpMethods.RULE;
    }
    String path = matcher.group(1).isEmpty() ? "/" : matcher.group(1);
    try {
      ResourcePath.parse(path.equals("/") ? "/" : path);
    } catch (IllegalArgumentException e) {
      return "the resource path " + e.getMessage();
    }
    return null;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
