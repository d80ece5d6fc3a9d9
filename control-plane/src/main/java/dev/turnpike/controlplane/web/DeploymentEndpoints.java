package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.deployment.CanarySettings;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.deployment.StageCacheSettings;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.tx.TenantTx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Stages, deployments and rollbacks. */
final class DeploymentEndpoints implements Endpoints {
  private final Http http;
  private final Stages stages;
  private final Deployments deployments;

  DeploymentEndpoints(Http http, Stages stages, Deployments deployments) {
    this.http = http;
    this.stages = stages;
    this.deployments = deployments;
  }

  @Override
  public void mount(Router router) {
    String list = ApiEndpoints.API + "/stages";
    String one = list + "/:stageId";
    router
        .post(list)
        .handler(
            ctx -> {
              var in = http.body(ctx, Stages.CreateStage.class);
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> stages.view(tx, stages.create(tx, apiId, in)));
            });
    router
        .get(list)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(
                  ctx,
                  READ,
                  200,
                  tx -> stages.list(tx, apiId).stream().map(s -> stages.view(tx, s)).toList());
            });
    router
        .get(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(ctx, READ, 200, tx -> stages.view(tx, stages.get(tx, apiId, id)));
            });
    stageChange(router.put(one), Stages.UpdateStage.class, stages::update);
    router
        .delete(one)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  204,
                  tx -> {
                    stages.delete(tx, apiId, id);
                    return null;
                  });
            });
    // Traces: whether the gateway traces the stage's requests, and what share of them.
    stageChange(router.put(one + "/tracing"), Stages.TracingInput.class, stages::setTracing);
    // Access logs: the owner's format for the stage's lines, and its removal.
    stageChange(
        router.put(one + "/access-log"), Stages.AccessLogInput.class, stages::setAccessLogFormat);
    stageChange(router.delete(one + "/access-log"), stages::clearAccessLogFormat);
    // Execution logs: the stage's loggingLevel and dataTraceEnabled, read, set and turned off.
    router
        .get(one + "/execution-logging")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(ctx, READ, 200, tx -> stages.get(tx, apiId, id).executionLogging());
            });
    stageChange(
        router.put(one + "/execution-logging"),
        Stages.ExecutionLoggingInput.class,
        stages::setExecutionLogging);
    stageChange(router.delete(one + "/execution-logging"), stages::clearExecutionLogging);
    // Response caching: the stage's cache settings, and a flush of what the gateway cached.
    stageChange(router.put(one + "/cache"), StageCacheSettings.class, stages::setCache);
    stageChange(router.delete(one + "/cache"), stages::flushCache);
    // Canary releases: set (or replace) the stage's canary, promote it, remove it.
    stageChange(router.put(one + "/canary"), CanarySettings.class, stages::setCanary);
    stageChange(router.post(one + "/canary/promote"), stages::promoteCanary);
    stageChange(router.delete(one + "/canary"), stages::deleteCanary);
    stageChange(router.post(one + "/rollback"), Deployments.Rollback.class, deployments::rollback);

    String deploymentList = ApiEndpoints.API + "/deployments";
    router
        .post(deploymentList)
        .handler(
            ctx -> {
              var in = http.body(ctx, Deployments.CreateDeployment.class);
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, WRITE, 201, tx -> deployments.create(tx, apiId, in));
            });
    router
        .get(deploymentList)
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              http.inTenant(ctx, READ, 200, tx -> deployments.list(tx, apiId));
            });
    router
        .get(deploymentList + "/:deploymentId")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = http.id(ctx, "deploymentId", "Deployment");
              http.inTenant(ctx, READ, 200, tx -> deployments.get(tx, apiId, id));
            });
  }

  /** A change to one stage, answered with the stage as it is after it. */
  @FunctionalInterface
  private interface StageChange {
    Stage apply(TenantTx tx, UUID apiId, UUID stageId);
  }

  /** A change to one stage made from the request's body. */
  @FunctionalInterface
  private interface StageChangeFrom<I> {
    Stage apply(TenantTx tx, UUID apiId, UUID stageId, I in);
  }

  private void stageChange(Route route, StageChange change) {
    route.handler(
        ctx -> {
          UUID apiId = apiId(ctx);
          UUID id = stageId(ctx);
          http.inTenant(ctx, WRITE, 200, tx -> stages.view(tx, change.apply(tx, apiId, id)));
        });
  }

  private <I> void stageChange(Route route, Class<I> body, StageChangeFrom<I> change) {
    route.handler(
        ctx -> {
          I in = http.body(ctx, body);
          UUID apiId = apiId(ctx);
          UUID id = stageId(ctx);
          http.inTenant(ctx, WRITE, 200, tx -> stages.view(tx, change.apply(tx, apiId, id, in)));
        });
  }

  private UUID apiId(RoutingContext ctx) {
    return http.id(ctx, "apiId", "API");
  }

  private UUID stageId(RoutingContext ctx) {
    return http.id(ctx, "stageId", "Stage");
  }
}
