package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.CanaryConfig;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.EdgeConfig;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.IntegrationType;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.SourceIpPolicy;
import dev.turnpike.contracts.config.StageTracing;
import dev.turnpike.controlplane.outbox.ConfigRecordLimit;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes what the gateway serves for a stage: its deployment's frozen definition with the
 * stage's current settings, or a tombstone when the stage serves nothing.
 */
public final class StagePublisher {
  private final ConfigRecordLimit recordLimit;
  private final TxStore<DeploymentStore> deploymentStore;
  private final TxStore<TenantStore> tenantStore;

  public StagePublisher(
      TxStore<DeploymentStore> deploymentStore,
      TxStore<TenantStore> tenantStore,
      ConfigRecordLimit recordLimit) {
    this.deploymentStore = deploymentStore;
    this.tenantStore = tenantStore;
    this.recordLimit = recordLimit;
  }

  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure when the snapshot is too large to deliver
   */
  public DeploymentSnapshot publish(TenantTx tx, Stage stage) {
    String tenantSlug = tenantStore.in(tx).find(tx.tenantId()).orElseThrow().slug();
    DeploymentSnapshot snapshot =
        snapshotOf(tx, tenantSlug, stage, stage.deploymentId(), stage.variables());
    StageCanary canary = stage.canary();
    if (canary != null) {
      // The canary travels in the stage's record, so one swap on a node changes both sides.
      snapshot =
          snapshot.toBuilder()
              .canary(
                  new CanaryConfig(
                      canary.percentTraffic(),
                      canary.useStageCache(),
                      canary.stickinessSeconds(),
                      snapshotOf(
                          tx,
                          tenantSlug,
                          stage,
                          canary.deploymentId(),
                          canary.mergedInto(stage.variables()))))
              .build();
    }
    tx.config().deployment(snapshot, recordLimit);
    return snapshot;
  }

  /** What one deployment serves on the stage, with the stage's settings and these variables. */
  private DeploymentSnapshot snapshotOf(
      TenantTx tx,
      String tenantSlug,
      Stage stage,
      java.util.UUID deploymentId,
      java.util.Map<String, String> variables) {
    DeploymentStore store = deploymentStore.in(tx);
    Deployment deployment =
        store
            .findDeployment(stage.apiId(), deploymentId)
            .orElseThrow(() -> new IllegalStateException("stage points at a missing deployment"));
    FrozenApi definition = store.definition(deployment.id()).orElseThrow();
    DeploymentSnapshot snapshot =
        DeploymentSnapshot.builder()
            .tenantId(tx.tenantId().toString())
            .tenantSlug(tenantSlug)
            .apiId(stage.apiId().toString())
            .apiSlug(definition.apiSlug())
            .stage(stage.name())
            .deploymentId(deployment.id().toString())
            .hash(deployment.hash())
            .deployedAt(deployment.createdAt())
            .stageVariables(variables)
            .stageThrottle(stage.throttle())
            .methodThrottles(stage.methodThrottles())
            .accessLogFields(stage.accessLogFields())
            .routes(
                withClientCertificate(
                    definition.routes(),
                    store.findClientCertificate(stage.id()).orElse(null),
                    tx.tenantId().toString()))
            .gatewayResponses(definition.gatewayResponses())
            .binaryMediaTypes(definition.binaryMediaTypes())
            .authorizers(definition.authorizers())
            .apiKeySource(definition.apiKeySource())
            // The API's CORS and compression; its address policy with the stage's own.
            .edge(
                new EdgeConfig(
                    definition.cors(),
                    SourceIpPolicy.merge(definition.sourceIpPolicy(), stage.sourceIpPolicy()),
                    definition.compression()))
            .build();
    // Response caching: the stage's cache settings and flush generation ride on the snapshot.
    snapshot = snapshot.toBuilder().cache(stage.cache()).build();
    // Traces: left out for an untraced stage, so its record is the bytes it always was.
    if (!stage.tracing().equals(StageTracing.OFF)) {
      snapshot = snapshot.toBuilder().tracing(stage.tracing()).build();
    }
    // The owner's access-log format, as written; left out for a stage without one.
    snapshot = snapshot.toBuilder().accessLogFormat(stage.accessLogFormat()).build();
    // Execution logs: the snapshot leaves them out when off, so such a record keeps its bytes.
    snapshot = snapshot.toBuilder().executionLogging(stage.executionLogging()).build();
    // Upstreams the integrations name as upstream://name/... travel with the snapshot.
    snapshot = snapshot.toBuilder().upstreams(definition.upstreams()).build();
    // A WebSocket API's routes: the gateway serves the stage's handshake and messages by them.
    return snapshot.toBuilder().webSocket(definition.webSocket()).build();
  }

  /**
   * The routes with the stage's client certificate on each http integration that has none of its
   * own, as API Gateway applies a stage's client certificate to all its HTTP integrations. The key
   * stays sealed as it was stored: it is bound to the tenant and the stage, which the gateway opens
   * it for.
   */
  static List<RouteConfig> withClientCertificate(
      List<RouteConfig> routes, StageClientCertificate certificate, String tenantId) {
    if (certificate == null) {
      return routes;
    }
    BackendTls.ClientCertificate client =
        new BackendTls.ClientCertificate(
            certificate.certificatePem(),
            certificate.sealedPrivateKey(),
            StageClientCertificate.owner(certificate.stageId()));
    List<RouteConfig> out = new ArrayList<>(routes.size());
    for (RouteConfig route : routes) {
      IntegrationConfig integration = route.integration();
      boolean http =
          integration != null
              && (integration.type() == IntegrationType.HTTP
                  || integration.type() == IntegrationType.HTTP_PROXY);
      if (!http || (integration.tls() != null && integration.tls().clientCertificate() != null)) {
        out.add(route);
        continue;
      }
      BackendTls tls =
          integration.tls() == null
              ? new BackendTls(null, false, null, client)
              : integration.tls().withClientCertificate(client);
      out.add(route.withIntegration(integration.withTls(tls)));
    }
    return out;
  }

  public void withdraw(TenantTx tx, Stage stage) {
    tx.config().deploymentRemoved(tx.tenantId().toString(), stage.apiId().toString(), stage.name());
  }
}
