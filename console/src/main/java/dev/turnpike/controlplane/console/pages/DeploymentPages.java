package dev.turnpike.controlplane.console.pages;

import dev.turnpike.contracts.config.AccessLogFields;
import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.StageCacheConfig;
import dev.turnpike.contracts.config.StageCacheConfig.UnauthorizedCacheControl;
import dev.turnpike.contracts.config.StageExecutionLogging;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.CanarySettings;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.StageCacheSettings;
import dev.turnpike.controlplane.deployment.StageCanary;
import dev.turnpike.controlplane.deployment.StageClientCertificate;
import dev.turnpike.controlplane.deployment.StageClientCertificates;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.deployment.ThrottleInput;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.usage.TrafficSummary;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Creating and editing stages (with the client certificate their http integrations present to
 * backends), deploying the API to a stage, and rolling a stage back.
 */
public final class DeploymentPages {
  private static final Set<String> STAGE_FIELDS =
      Set.of(
          "/description",
          "/variables",
          "/throttle/rateLimit",
          "/throttle/burstLimit",
          "/accessLogFields",
          "/format",
          "/cacheCapacityBytes",
          "/cacheTtlInSeconds",
          "/unauthorizedCacheControlHeaderStrategy",
          "/samplingPercentage",
          "/loggingLevel",
          "/dataTraceEnabled",
          "/deploymentId",
          "/percentTraffic",
          "/stickinessSeconds");
  private static final Set<String> CERTIFICATE_FIELDS = Set.of("/certificatePem", "/privateKeyPem");
  private static final MethodThrottleRows METHOD_THROTTLES =
      new MethodThrottleRows("/methodThrottles");
  private static final MethodCacheRows METHOD_CACHE = new MethodCacheRows();

  /** How far back the stage page compares a running canary with its base (hourly buckets). */
  private static final Duration CANARY_WINDOW = Duration.ofHours(24);

  private final Pages pages;
  private final UseCases u;

  /** Metering's counts, for a running canary's figures beside its base's. */
  private final TxStore<TrafficSummary> traffic;

  private final ApiDetail detail;

  /** Where a WebSocket API's stage is reached, shown on its page. */
  private final GatewayAddresses gateway;

  public DeploymentPages(
      Pages pages, UseCases u, TxStore<TrafficSummary> traffic, GatewayAddresses gateway) {
    this.pages = pages;
    this.u = u;
    this.traffic = traffic;
    this.detail = new ApiDetail(u);
    this.gateway = gateway;
  }

  public void mount(Router router) {
    router.post(ApiPages.API + "/stages").handler(this::createStage);
    router.post(ApiPages.API + "/deployments").handler(this::deploy);
    router.post(ApiPages.API + "/stages/:stageId/rollback").handler(this::rollback);
    router
        .get(ApiPages.API + "/stages/:stageId")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              UUID stageId = Pages.id(ctx, "stageId", "Stage");
              pages.inTenant(ctx, Access.READ, tx -> stageForm(tx, apiId, stageId, null));
            });
    router.post(ApiPages.API + "/stages/:stageId").handler(this::updateStage);
    router.post(ApiPages.API + "/stages/:stageId/cache/flush").handler(this::flushCache);
    router
        .post(ApiPages.API + "/stages/:stageId/client-certificate")
        .handler(this::putClientCertificate);
    router
        .post(ApiPages.API + "/stages/:stageId/client-certificate/delete")
        .handler(this::deleteClientCertificate);
    router.post(ApiPages.API + "/stages/:stageId/canary").handler(this::setCanary);
    router.post(ApiPages.API + "/stages/:stageId/canary/promote").handler(this::promoteCanary);
    router.post(ApiPages.API + "/stages/:stageId/canary/delete").handler(this::deleteCanary);
  }

  private View stageForm(TenantTx tx, UUID apiId, UUID stageId, Form sent) {
    return stageForm(tx, apiId, stageId, sent, Form.empty());
  }

  /**
   * @param certificateForm the client-certificate form as sent, with its problems; its private key
   *     is never shown again
   */
  private View stageForm(TenantTx tx, UUID apiId, UUID stageId, Form sent, Form certificateForm) {
    Stage stage = u.stages().get(tx, apiId, stageId);
    Form form = sent;
    if (form == null) {
      StringBuilder variables = new StringBuilder();
      new TreeMap<>(stage.variables())
          .forEach((k, v) -> variables.append(k).append('=').append(v).append('\n'));
      form =
          Form.empty()
              .set("description", stage.description())
              .set("variables", variables.toString());
      if (stage.throttle() != null) {
        form.set("throttle.rate", MethodThrottleRows.plain(stage.throttle().rateLimit()))
            .set("throttle.burst", Integer.toString(stage.throttle().burstLimit()));
      }
      METHOD_THROTTLES.fill(form, stage.methodThrottles());
      for (String field : stage.accessLogFields()) {
        form.set("accessLog:" + field, "on");
      }
      form.set("accessLog.format", stage.accessLogFormat());
      StageExecutionLogging logging = stage.executionLogging();
      form.set("execution.level", logging.loggingLevel().name())
          .set("execution.dataTrace", logging.dataTraceEnabled() ? "on" : null);
      StageCacheConfig cache = stage.cache();
      form.set("cache.enabled", cache.enabled() ? "on" : null)
          .set(
              "cache.capacity",
              Long.toString(
                  cache.enabled()
                      ? cache.capacityBytes()
                      : StageCacheSettings.DEFAULT_CAPACITY_BYTES))
          .set("cache.ttl", Integer.toString(cache.ttlSeconds()))
          .set("cache.share", cache.shareAcrossKeys() ? "on" : null)
          .set("cache.requireAuth", cache.requireAuthorizationForCacheControl() ? "on" : null)
          .set("cache.strategy", cache.unauthorizedCacheControlHeaderStrategy().name());
      METHOD_CACHE.fill(form, cache.methods());
      StageCanary canary = stage.canary();
      form.set("canary.deployment", canary == null ? null : canary.deploymentId().toString())
          .set(
              "canary.percent",
              canary == null ? "10" : MethodThrottleRows.plain(canary.percentTraffic()))
          .set("canary.overrides", canary == null ? "" : lines(canary.stageVariableOverrides()))
          .set("canary.useStageCache", canary == null || canary.useStageCache() ? "on" : null)
          .set(
              "canary.stickiness",
              Integer.toString(
                  canary == null
                      ? CanaryConfig.DEFAULT_STICKINESS_SECONDS
                      : canary.stickinessSeconds()));
      StageTracing tracing = stage.tracing();
      form.set("tracing.enabled", tracing.tracingEnabled() ? "on" : null)
          .set(
              "tracing.percentage",
              MethodThrottleRows.plain(
                  tracing.tracingEnabled()
                      ? tracing.samplingPercentage()
                      : StageTracing.DEFAULT_SAMPLING_PERCENTAGE));
    }
    Set<String> placed = new HashSet<>(STAGE_FIELDS);
    placed.addAll(METHOD_THROTTLES.rows().pointers(METHOD_THROTTLES.rows().rows(form)));
    placed.addAll(METHOD_CACHE.rows().pointers(METHOD_CACHE.rows().rows(form)));
    var api = u.apis().get(tx, apiId);
    View view =
        View.page("stage-edit")
            .with("nav", "apis")
            .with("api", api)
            .with(
                "webSocketAddress",
                u.webSocketApis().find(tx, apiId).isEmpty()
                    ? null
                    : gateway.webSocket(u.tenants().current(tx).slug(), api.slug(), stage.name()))
            .with("stage", stage)
            .with("delivery", u.stages().view(tx, stage).delivery())
            .with("accessLogFields", AccessLogFields.ALL)
            .with("cacheStrategies", UnauthorizedCacheControl.values())
            .with("clientCertificate", clientCertificate(tx, apiId, stageId))
            .with("certificateForm", certificateForm.placing(CERTIFICATE_FIELDS))
            .with("deployments", u.deployments().list(tx, apiId))
            .with(
                "canaryTraffic",
                stage.canary() == null
                    ? null
                    : traffic
                        .in(tx)
                        .releases(apiId.toString(), stage.name(), tx.now().minus(CANARY_WINDOW)))
            .with("form", form.placing(placed));
    List<MethodThrottleRows.Choice> methods = MethodThrottleRows.choices(tx, u, stage);
    return METHOD_CACHE.show(METHOD_THROTTLES.show(view, form, methods), form, methods);
  }

  /**
   * Description, stage variables, the stage throttle, per-method throttles and access-log fields:
   * every setting of the stage's input.
   */
  private void updateStage(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Stage before = u.stages().get(tx, apiId, stageId);
          Double rate = in.decimal("throttle.rate", "/throttle/rateLimit");
          Integer burst = in.integer("throttle.burst", "/throttle/burstLimit");
          Map<String, String> variables = variables(in.text("variables"));
          Map<String, ThrottleInput> methodThrottles =
              METHOD_THROTTLES.read(in, before.methodThrottles());
          in.throwIfInvalid();
          u.stages()
              .update(
                  tx,
                  apiId,
                  stageId,
                  new Stages.UpdateStage(
                      in.text("description"),
                      variables,
                      rate == null && burst == null ? null : new ThrottleInput(rate, burst),
                      methodThrottles,
                      in.checked("accessLog.shown")
                          ? accessLogFields(in.all("accessLog"), before.accessLogFields())
                          : before.accessLogFields(),
                      before.sourceIpPolicy()));
          if (in.checked("cache.shown")) {
            u.stages().setCache(tx, apiId, stageId, cacheSettings(in, before));
          }
          if (in.checked("accessLog.shown")) {
            saveAccessLogFormat(tx, apiId, stageId, in.text("accessLog.format"), before);
          }
          if (in.checked("execution.shown")) {
            saveExecutionLogging(
                tx,
                apiId,
                stageId,
                new Stages.ExecutionLoggingInput(
                    in.text("execution.level"), in.checked("execution.dataTrace")),
                before);
          }
          if (in.checked("tracing.shown")) {
            Double percentage = in.decimal("tracing.percentage", "/samplingPercentage");
            in.throwIfInvalid();
            u.stages()
                .setTracing(
                    tx,
                    apiId,
                    stageId,
                    new Stages.TracingInput(in.checked("tracing.enabled"), percentage));
          }
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> stageForm(tx, apiId, stageId, form));
  }

  /**
   * Execution logs: set when the form asks for other settings than the stage has, untouched (and
   * not audited) otherwise.
   */
  private void saveExecutionLogging(
      TenantTx tx, UUID apiId, UUID stageId, Stages.ExecutionLoggingInput in, Stage before) {
    StageExecutionLogging had = before.executionLogging();
    if (had.loggingLevel().name().equals(in.loggingLevel())
        && had.dataTraceEnabled() == Boolean.TRUE.equals(in.dataTraceEnabled())) {
      return;
    }
    u.stages().setExecutionLogging(tx, apiId, stageId, in);
  }

  /**
   * The custom access-log format: set when the field has a changed one, cleared when it is left
   * empty, untouched (and not audited) when it is what the stage has.
   */
  private void saveAccessLogFormat(
      TenantTx tx, UUID apiId, UUID stageId, String format, Stage before) {
    String wanted = format == null || format.isBlank() ? null : format.strip();
    if (java.util.Objects.equals(wanted, before.accessLogFormat())) {
      return;
    }
    if (wanted == null) {
      u.stages().clearAccessLogFormat(tx, apiId, stageId);
    } else {
      u.stages().setAccessLogFormat(tx, apiId, stageId, new Stages.AccessLogInput(wanted));
    }
  }

  /**
   * Response caching: the form's cache fields and per-method overrides (those the stage had when
   * the form sent no rows).
   */
  private static StageCacheSettings cacheSettings(FormInput in, Stage before) {
    Long capacity = in.whole("cache.capacity", "/cacheCapacityBytes");
    Integer ttl = in.integer("cache.ttl", "/cacheTtlInSeconds");
    Map<String, StageCacheSettings.MethodCache> methods =
        METHOD_CACHE.read(in, before.cache().methods());
    in.throwIfInvalid();
    return new StageCacheSettings(
        in.checked("cache.enabled"),
        capacity,
        ttl,
        methods,
        in.checked("cache.share"),
        in.checked("cache.requireAuth"),
        in.text("cache.strategy"));
  }

  /** The stage's client certificate for backends, or null when it has none. */
  private StageClientCertificate clientCertificate(TenantTx tx, UUID apiId, UUID stageId) {
    try {
      return u.stageClientCertificates().get(tx, apiId, stageId);
    } catch (ApiFailure failure) {
      if (failure.kind() == ProblemKind.NOT_FOUND) {
        return null;
      }
      throw failure;
    }
  }

  /**
   * Uploads the client certificate the stage's http integrations present to their backends; the key
   * is sealed by the use case and the form never shows it again.
   */
  private void putClientCertificate(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    var input =
        new StageClientCertificates.ClientCertificateInput(
            pem(in, "certificatePem"), pem(in, "privateKeyPem"));
    pages.submit(
        ctx,
        tx -> {
          u.stageClientCertificates().put(tx, apiId, stageId, input);
          return View.redirect(
              ApiPages.apiPath(tx, apiId) + "/stages/" + stageId + "#stage-client-certificate");
        },
        (tx, form) -> stageForm(tx, apiId, stageId, null, form.set("privateKeyPem", "")));
  }

  private void deleteClientCertificate(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    pages.submit(
        ctx,
        tx -> {
          u.stageClientCertificates().delete(tx, apiId, stageId);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "/stages/" + stageId);
        },
        (tx, form) -> stageForm(tx, apiId, stageId, null));
  }

  /** A textarea's PEM with the LF line breaks it was pasted with; null when blank. */
  private static String pem(FormInput in, String name) {
    List<String> values = in.all(name);
    if (values.isEmpty() || values.getFirst().isBlank()) {
      return null;
    }
    return values.getFirst().replace("\r\n", "\n").strip() + "\n";
  }

  /** Flushes the stage's cache on every gateway node (through the config feed). */
  private void flushCache(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    pages.submit(
        ctx,
        tx -> {
          u.stages().flushCache(tx, apiId, stageId);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "/stages/" + stageId);
        },
        (tx, form) -> stageForm(tx, apiId, stageId, null));
  }

  // Canary releases: the stage page's canary section sets, promotes and removes it.

  private void setCanary(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          Double percent = in.decimal("canary.percent", "/percentTraffic");
          Integer stickiness = in.integer("canary.stickiness", "/stickinessSeconds");
          UUID deploymentId = null;
          String chosen = in.text("canary.deployment");
          try {
            deploymentId = chosen == null || chosen.isBlank() ? null : UUID.fromString(chosen);
          } catch (IllegalArgumentException e) {
            in.error("/deploymentId", "is not a deployment of this API");
          }
          in.throwIfInvalid();
          u.stages()
              .setCanary(
                  tx,
                  apiId,
                  stageId,
                  new CanarySettings(
                      deploymentId,
                      percent,
                      variables(in.text("canary.overrides")),
                      in.checked("canary.useStageCache"),
                      stickiness));
          return View.redirect(ApiPages.apiPath(tx, apiId) + "/stages/" + stageId);
        },
        (tx, form) -> stageForm(tx, apiId, stageId, form));
  }

  private void promoteCanary(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    pages.submit(
        ctx,
        tx -> {
          u.stages().promoteCanary(tx, apiId, stageId);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "/stages/" + stageId);
        },
        (tx, form) -> stageForm(tx, apiId, stageId, null));
  }

  private void deleteCanary(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    pages.submit(
        ctx,
        tx -> {
          u.stages().deleteCanary(tx, apiId, stageId);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "/stages/" + stageId);
        },
        (tx, form) -> stageForm(tx, apiId, stageId, null));
  }

  private static String lines(Map<String, String> variables) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(variables).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  // End of canary releases.

  /**
   * The ticked fields. Those the stage had keep their order (the API may have set any); newly
   * ticked ones follow in the gateway's default order.
   */
  private static List<String> accessLogFields(List<String> ticked, List<String> before) {
    Set<String> chosen = new LinkedHashSet<>(ticked);
    List<String> fields = new ArrayList<>();
    before.stream().filter(chosen::contains).forEach(fields::add);
    AccessLogFields.ALL.stream()
        .filter(f -> chosen.contains(f) && !fields.contains(f))
        .forEach(fields::add);
    // A value no box offers is passed on, so the use case names it rather than it vanishing.
    chosen.stream().filter(f -> !fields.contains(f)).forEach(fields::add);
    return fields;
  }

  /** One {@code NAME=value} per line; blank lines are skipped. */
  private static Map<String, String> variables(String text) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (text == null) {
      return variables;
    }
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty()) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw ApiFailure.invalid(
            "/variables", "line " + (i + 1) + " must be NAME=value, e.g. petHost=api.example.com");
      }
      variables.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
    }
    return variables;
  }

  private void createStage(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    var input =
        new Stages.CreateStage(in.text("name"), in.text("description"), null, null, null, null);
    pages.submit(
        ctx,
        tx -> {
          u.stages().create(tx, apiId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "stage", form));
  }

  private void deploy(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          var input =
              new Deployments.CreateDeployment(
                  uuid(in.text("stageId"), "/stageId", "is not a stage of this API"),
                  in.text("description"));
          u.deployments().create(tx, apiId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "deploy", form));
  }

  private void rollback(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    UUID stageId = Pages.id(ctx, "stageId", "Stage");
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          var input =
              new Deployments.Rollback(
                  uuid(
                      in.text("deploymentId"), "/deploymentId", "is not a deployment of this API"));
          u.deployments().rollback(tx, apiId, stageId, input);
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#stages");
        },
        (tx, form) -> detail.view(tx, apiId, "rollback", form));
  }

  private static UUID uuid(String value, String pointer, String message) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiFailure.invalid(pointer, message);
    }
  }
}
