package dev.turnpike.controlplane.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.deployment.CanarySettings;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.StageCacheSettings;
import dev.turnpike.controlplane.deployment.Stages;
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
    router
        .put(one)
        .handler(
            ctx -> {
              var in = http.body(ctx, Stages.UpdateStage.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.update(tx, apiId, id, in)));
            });
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
    router
        .put(one + "/tracing")
        .handler(
            ctx -> {
              var in = http.body(ctx, Stages.TracingInput.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.setTracing(tx, apiId, id, in)));
            });
    // Access logs: the owner's format for the stage's lines, and its removal.
    router
        .put(one + "/access-log")
        .handler(
            ctx -> {
              var in = http.body(ctx, Stages.AccessLogInput.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  200,
                  tx -> stages.view(tx, stages.setAccessLogFormat(tx, apiId, id, in)));
            });
    router
        .delete(one + "/access-log")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  200,
                  tx -> stages.view(tx, stages.clearAccessLogFormat(tx, apiId, id)));
            });
    // Execution logs: the stage's loggingLevel and dataTraceEnabled, read, set and turned off.
    router
        .get(one + "/execution-logging")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(ctx, READ, 200, tx -> stages.get(tx, apiId, id).executionLogging());
            });
    router
        .put(one + "/execution-logging")
        .handler(
            ctx -> {
              var in = http.body(ctx, Stages.ExecutionLoggingInput.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  200,
                  tx -> stages.view(tx, stages.setExecutionLogging(tx, apiId, id, in)));
            });
    router
        .delete(one + "/execution-logging")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx,
                  WRITE,
                  200,
                  tx -> stages.view(tx, stages.clearExecutionLogging(tx, apiId, id)));
            });
    // Response caching: the stage's cache settings, and a flush of what the gateway cached.
    router
        .put(one + "/cache")
        .handler(
            ctx -> {
              var in = http.body(ctx, StageCacheSettings.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.setCache(tx, apiId, id, in)));
            });
    router
        .delete(one + "/cache")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.flushCache(tx, apiId, id)));
            });
    // Canary releases: set (or replace) the stage's canary, promote it, remove it.
    router
        .put(one + "/canary")
        .handler(
            ctx -> {
              var in = http.body(ctx, CanarySettings.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.setCanary(tx, apiId, id, in)));
            });
    router
        .post(one + "/canary/promote")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.promoteCanary(tx, apiId, id)));
            });
    router
        .delete(one + "/canary")
        .handler(
            ctx -> {
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, stages.deleteCanary(tx, apiId, id)));
            });
    router
        .post(one + "/rollback")
        .handler(
            ctx -> {
              var in = http.body(ctx, Deployments.Rollback.class);
              UUID apiId = apiId(ctx);
              UUID id = stageId(ctx);
              http.inTenant(
                  ctx, WRITE, 200, tx -> stages.view(tx, deployments.rollback(tx, apiId, id, in)));
            });

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

  private UUID apiId(RoutingContext ctx) {
    return http.id(ctx, "apiId", "API");
  }

  private UUID stageId(RoutingContext ctx) {
    return http.id(ctx, "stageId", "Stage");
  }
}
