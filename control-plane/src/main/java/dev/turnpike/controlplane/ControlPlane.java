package dev.turnpike.controlplane;

import dev.turnpike.controlplane.api.ApiStore;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.api.EgressTargets;
import dev.turnpike.controlplane.api.Integrations;
import dev.turnpike.controlplane.api.Routes;
import dev.turnpike.controlplane.api.impl.JooqApiStore;
import dev.turnpike.controlplane.apikey.ApiKeyGenerator;
import dev.turnpike.controlplane.apikey.ApiKeyImport;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.apikey.ApiKeys;
import dev.turnpike.controlplane.apikey.KeyPublisher;
import dev.turnpike.controlplane.apikey.impl.JooqApiKeyStore;
import dev.turnpike.controlplane.app.AppStore;
import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.app.Subscriptions;
import dev.turnpike.controlplane.app.impl.JooqAppStore;
import dev.turnpike.controlplane.audit.AuditLog;
import dev.turnpike.controlplane.audit.AuditStore;
import dev.turnpike.controlplane.audit.impl.JooqAuditStore;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.controlplane.auth.impl.JooqUserDirectory;
import dev.turnpike.controlplane.console.Console;
import dev.turnpike.controlplane.console.traffic.TrafficSummary;
import dev.turnpike.controlplane.console.traffic.impl.JooqTrafficSummary;
import dev.turnpike.controlplane.db.Blocking;
import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.StagePublisher;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.deployment.impl.JooqDeploymentStore;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.openapi.OpenApiImport;
import dev.turnpike.controlplane.openapi.OpenApiStore;
import dev.turnpike.controlplane.openapi.impl.JooqOpenApiStore;
import dev.turnpike.controlplane.plan.PlanPublisher;
import dev.turnpike.controlplane.plan.PlanStore;
import dev.turnpike.controlplane.plan.UsagePlans;
import dev.turnpike.controlplane.plan.impl.JooqPlanStore;
import dev.turnpike.controlplane.portal.PortalFeature;
import dev.turnpike.controlplane.standing.StandingStore;
import dev.turnpike.controlplane.standing.impl.JooqStandingStore;
import dev.turnpike.controlplane.tenant.Members;
import dev.turnpike.controlplane.tenant.TenantCaps;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.tenant.impl.JooqTenantDirectory;
import dev.turnpike.controlplane.tenant.impl.JooqTenantStore;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.usage.UsageStore;
import dev.turnpike.controlplane.usage.impl.JooqUsageStore;
import dev.turnpike.controlplane.web.ApiRouter;
import dev.turnpike.controlplane.web.ApiVerticle;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.FeatureEndpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostPort;
import dev.turnpike.egress.MachineNetwork;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane process: migrates the schema, opens the database pools, serves the management
 * API and runs the outbox relay. {@link #start} returns once everything is up or throws naming what
 * failed; {@link #close} stops it all.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final Vertx vertx;
  private final Database database;
  private final Blocking blocking;
  private final JwksTokenVerifier verifier;
  private final ApiVerticle api;
  private final AutoCloseable relay;
  private final AdminServer admin;
  private final Console console;

  private ControlPlane(
      Vertx vertx,
      Database database,
      Blocking blocking,
      JwksTokenVerifier verifier,
      ApiVerticle api,
      AutoCloseable relay,
      AdminServer admin,
      Console console) {
    this.vertx = vertx;
    this.database = database;
    this.blocking = blocking;
    this.verifier = verifier;
    this.api = api;
    this.relay = relay;
    this.admin = admin;
    this.console = console;
  }

  public static ControlPlane start(ControlPlaneSettings settings) {
    LOG.info("starting with {}", settings);
    Database database =
        Database.open(
            new Database.Logins(
                settings.dbUrl(),
                settings.dbOwnerUser(),
                settings.dbOwnerPassword(),
                settings.dbUser(),
                settings.dbPassword(),
                settings.dbSystemUser(),
                settings.dbSystemPassword(),
                settings.dbPoolSize()));
    Vertx vertx = Vertx.vertx();
    Blocking blocking = new Blocking();
    JwksTokenVerifier.Config tokens =
        new JwksTokenVerifier.Config(
            settings.oidcIssuer(),
            settings.oidcAudience(),
            settings.oidcJwksUrl(),
            settings.oidcLeeway(),
            settings.jwksRefresh());
    JwksTokenVerifier verifier = new JwksTokenVerifier(vertx, tokens);
    AutoCloseable relay = () -> {};
    AdminServer admin = null;
    Console console = null;
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try {
      await(verifier.start());
      Stores stores = PortalFeature.register(stores());
      TenantTransactor transactor = new TenantTransactor(database.app(), stores, Clock.systemUTC());
      Http http = new Http(blocking, transactor);
      UseCases useCases = useCases(settings, database);
      SignIn signIn = new SignIn(new JooqUserDirectory(database.app()));
      List<Endpoints> endpoints = new ArrayList<>(FeatureEndpoints.all(http, useCases));
      endpoints.addAll(
          PortalFeature.endpoints(
              http, database, stores, useCases, settings.billingUrl(), settings.billingToken()));
      console =
          await(
              Console.start(
                  settings.console(),
                  new Console.Wiring(
                      vertx,
                      tokens,
                      verifier,
                      signIn,
                      new JooqUserDirectory(database.app()),
                      blocking,
                      transactor,
                      useCases,
                      settings.maxBodyBytes())));
      endpoints.add(console);
      ApiRouter router =
          new ApiRouter(verifier, signIn, blocking, endpoints, settings.maxBodyBytes());
      ApiVerticle api =
          new ApiVerticle(
              router,
              settings.host(),
              settings.port(),
              settings.listener(),
              settings.ownerLimits().max(Limit.IMPORT_DOCUMENT_BYTES));
      await(vertx.deployVerticle(api));
      admin = AdminServer.start(settings.adminHost(), settings.adminPort(), metrics);
      relay = Relays.start(settings, database, stores, metrics);
      LOG.info("management API listening on port {}", api.actualPort());
      return new ControlPlane(vertx, database, blocking, verifier, api, relay, admin, console);
    } catch (RuntimeException e) {
      closeQuietly(relay);
      if (admin != null) {
        admin.close();
      }
      if (console != null) {
        console.close();
      }
      verifier.close();
      vertx.close();
      blocking.close();
      database.close();
      throw e;
    }
  }

  /** Every persistence port with its implementation, as the control plane wires them. */
  public static Stores stores() {
    return new Stores()
        .register(TenantStore.class, JooqTenantStore::new)
        .register(AuditStore.class, JooqAuditStore::new)
        .register(ApiStore.class, JooqApiStore::new)
        .register(DeploymentStore.class, JooqDeploymentStore::new)
        .register(PlanStore.class, JooqPlanStore::new)
        .register(AppStore.class, JooqAppStore::new)
        .register(ApiKeyStore.class, JooqApiKeyStore::new)
        .register(OpenApiStore.class, JooqOpenApiStore::new)
        .register(UsageStore.class, JooqUsageStore::new)
        .register(TrafficSummary.class, JooqTrafficSummary::new)
        .register(StandingStore.class, JooqStandingStore::new);
  }

  static UseCases useCases(ControlPlaneSettings settings, Database database) {
    OwnerLimits limits = settings.ownerLimits();
    PlanPublisher plans = new PlanPublisher();
    StagePublisher stagePublisher = new StagePublisher(settings.configRecordLimit());
    Stages stages = new Stages(stagePublisher, plans, limits);
    KeyPublisher keys = new KeyPublisher();
    TenantCaps caps = new TenantCaps(settings.limits());
    ApiKeys apiKeys =
        new ApiKeys(
            new ApiKeyGenerator(),
            keys,
            caps,
            settings.keyRotationGrace(),
            settings.keyRotationMaxGrace());
    EgressTargets egress = new EgressTargets(egressPolicy(settings));
    return new UseCases(
        new Tenants(settings.limits().maxTenantsPerUser()),
        new Members(limits),
        new JooqTenantDirectory(database.app()),
        new AuditLog(),
        new Apis(stages::beforeApiDelete, limits),
        new Integrations(egress, limits),
        new Routes(limits),
        stages,
        new Deployments(stagePublisher),
        new UsagePlans(plans, limits),
        new Apps(keys, caps, limits),
        new Subscriptions(keys),
        apiKeys,
        new ApiKeyImport(keys, apiKeys),
        caps,
        new OpenApiImport(egress, limits),
        limits);
  }

  /**
   * The egress policy the gateway applies, from the same settings, with this control plane's own
   * port among the listeners no integration may point at.
   */
  private static EgressPolicy egressPolicy(ControlPlaneSettings settings) {
    List<HostPort> own =
        settings.port() == 0 ? List.of() : List.of(new HostPort(settings.host(), settings.port()));
    EgressPolicy policy = settings.egress().policy(MachineNetwork.SYSTEM, own);
    LOG.info("egress policy for integration targets: {}", policy.describe());
    return policy;
  }

  public int port() {
    return api.actualPort();
  }

  /** The port of {@code /metrics}, -1 when there is none. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** Every endpoint as {@code "METHOD /path/{param}"}. */
  public List<String> endpoints() {
    return api.endpoints();
  }

  public Database database() {
    return database;
  }

  private static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "start-up failed: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("start-up timed out", e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", closeable, e.getMessage());
    }
  }

  @Override
  public void close() {
    closeQuietly(relay);
    if (admin != null) {
      admin.close();
    }
    console.close();
    verifier.close();
    await(vertx.close());
    blocking.close();
    database.close();
  }
}
