package dev.turnpike.controlplane;

import dev.turnpike.controlplane.alarm.AlarmSettings;
import dev.turnpike.controlplane.alarm.AlarmStore;
import dev.turnpike.controlplane.alarm.Alarms;
import dev.turnpike.controlplane.alarm.SigningSecrets;
import dev.turnpike.controlplane.alarm.impl.AlarmEvaluator;
import dev.turnpike.controlplane.alarm.impl.JooqAlarmStore;
import dev.turnpike.controlplane.alarm.impl.WebhookSender;
import dev.turnpike.controlplane.alarm.web.AlarmEndpoints;
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
import dev.turnpike.controlplane.authorizer.AuthorizerStore;
import dev.turnpike.controlplane.authorizer.Authorizers;
import dev.turnpike.controlplane.authorizer.impl.JooqAuthorizerStore;
import dev.turnpike.controlplane.authorizer.web.AuthorizerEndpoints;
import dev.turnpike.controlplane.db.Database;
import dev.turnpike.controlplane.deployment.DeploymentStore;
import dev.turnpike.controlplane.deployment.Deployments;
import dev.turnpike.controlplane.deployment.StageClientCertificates;
import dev.turnpike.controlplane.deployment.StagePublisher;
import dev.turnpike.controlplane.deployment.Stages;
import dev.turnpike.controlplane.deployment.impl.JooqDeploymentStore;
import dev.turnpike.controlplane.domain.DomainPublisher;
import dev.turnpike.controlplane.domain.DomainSettings;
import dev.turnpike.controlplane.domain.DomainStore;
import dev.turnpike.controlplane.domain.Domains;
import dev.turnpike.controlplane.domain.OwnershipCheck;
import dev.turnpike.controlplane.domain.impl.HttpTokenCheck;
import dev.turnpike.controlplane.domain.impl.JndiTxtLookup;
import dev.turnpike.controlplane.domain.impl.JooqDomainStore;
import dev.turnpike.controlplane.domain.web.DomainEndpoints;
import dev.turnpike.controlplane.function.FunctionStore;
import dev.turnpike.controlplane.function.FunctionTargets;
import dev.turnpike.controlplane.function.Functions;
import dev.turnpike.controlplane.function.impl.JooqFunctionStore;
import dev.turnpike.controlplane.function.web.FunctionEndpoints;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.openapi.OpenApiExport;
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
import dev.turnpike.controlplane.tenant.TenantDirectory;
import dev.turnpike.controlplane.tenant.TenantStore;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.tenant.impl.JooqTenantDirectory;
import dev.turnpike.controlplane.tenant.impl.JooqTenantStore;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.upstream.UpstreamStore;
import dev.turnpike.controlplane.upstream.Upstreams;
import dev.turnpike.controlplane.upstream.impl.JooqUpstreamStore;
import dev.turnpike.controlplane.upstream.web.UpstreamEndpoints;
import dev.turnpike.controlplane.usage.TrafficSummary;
import dev.turnpike.controlplane.usage.UsageReports;
import dev.turnpike.controlplane.usage.UsageStore;
import dev.turnpike.controlplane.usage.impl.JooqTrafficSummary;
import dev.turnpike.controlplane.usage.impl.JooqUsageStore;
import dev.turnpike.controlplane.web.ApiRouter;
import dev.turnpike.controlplane.web.ApiTracing;
import dev.turnpike.controlplane.web.ApiVerticle;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.FeatureEndpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.controlplane.websocket.WebSocketApiStore;
import dev.turnpike.controlplane.websocket.WebSocketApis;
import dev.turnpike.controlplane.websocket.impl.JooqWebSocketApiStore;
import dev.turnpike.controlplane.websocket.web.WebSocketApiEndpoints;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostPort;
import dev.turnpike.egress.MachineNetwork;
import dev.turnpike.webkit.Blocking;
import dev.turnpike.webkit.session.PostgresSessionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane process: migrates the schema, opens the database pools, serves the management
 * API (and the features another module brings, such as the owner console) and runs the outbox
 * relay. {@link #start} returns once everything is up or throws naming what failed; {@link #close}
 * stops it all.
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
  private final SdkTracerProvider tracer;
  private final List<ServerFeature.Started> features;

  private ControlPlane(
      Vertx vertx,
      Database database,
      Blocking blocking,
      JwksTokenVerifier verifier,
      ApiVerticle api,
      AutoCloseable relay,
      SdkTracerProvider tracer,
      AdminServer admin,
      List<ServerFeature.Started> features) {
    this.vertx = vertx;
    this.database = database;
    this.blocking = blocking;
    this.verifier = verifier;
    this.api = api;
    this.relay = relay;
    this.admin = admin;
    this.tracer = tracer;
    this.features = features;
  }

  public static ControlPlane start(ControlPlaneSettings settings) {
    return start(settings, List.of());
  }

  /** Starts the control plane with these features mounted on the management API's server. */
  public static ControlPlane start(ControlPlaneSettings settings, List<ServerFeature> features) {
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
    Blocking blocking = new Blocking("cp-blocking-");
    JwksTokenVerifier.Config tokens =
        new JwksTokenVerifier.Config(
            settings.oidcIssuer(),
            settings.oidcAudience(),
            settings.oidcJwksUrl(),
            settings.oidcLeeway(),
            settings.jwksRefresh());
    JwksTokenVerifier verifier = new JwksTokenVerifier(vertx, tokens);
    AutoCloseable relay = () -> {};
    AutoCloseable alarms = () -> {};
    AdminServer admin = null;
    List<ServerFeature.Started> started = new ArrayList<>();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SdkTracerProvider tracer = settings.tracing().start("turnpike-control-plane");
    try {
      await(verifier.start());
      Stores<DSLContext> stores = PortalFeature.register(stores());
      TenantTransactor transactor = new TenantTransactor(database.app(), stores, Clock.systemUTC());
      Http http = new Http(blocking, transactor);
      UseCases useCases =
          useCases(
              settings, stores, new JooqTenantDirectory(database.app()), MachineNetwork.SYSTEM);
      SignIn signIn = new SignIn(new JooqUserDirectory(database.app()));
      List<Endpoints> endpoints = new ArrayList<>(FeatureEndpoints.all(http, useCases));
      endpoints.add(new FunctionEndpoints(http, useCases.functions()));
      endpoints.add(new AuthorizerEndpoints(http, useCases.authorizers()));
      endpoints.add(new UpstreamEndpoints(http, useCases.upstreams()));
      endpoints.add(new WebSocketApiEndpoints(http, useCases.webSocketApis()));
      endpoints.add(new DomainEndpoints(http, useCases.domains()));
      endpoints.add(new AlarmEndpoints(http, useCases.alarms()));
      endpoints.addAll(
          PortalFeature.endpoints(
              http, database, stores, useCases, settings.billingUrl(), settings.billingToken()));
      ServerFeature.Wiring wiring =
          new ServerFeature.Wiring(
              vertx,
              tokens,
              verifier,
              signIn,
              new JooqUserDirectory(database.app()),
              blocking,
              transactor,
              useCases,
              PortalFeature.ownerUseCases(stores, useCases),
              stores.port(TrafficSummary.class),
              site -> PostgresSessionStore.create(vertx, database.appDataSource(), blocking, site),
              settings.maxBodyBytes());
      for (ServerFeature feature : features) {
        started.add(await(feature.start(wiring)));
      }
      endpoints.addAll(started);
      ApiRouter router =
          new ApiRouter(
              verifier,
              signIn,
              blocking,
              endpoints,
              settings.maxBodyBytes(),
              tracer == null ? null : new ApiTracing(tracer.get("dev.turnpike.controlplane")));
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
      alarms = alarmEvaluator(settings, database, MachineNetwork.SYSTEM);
      LOG.info("management API listening on port {}", api.actualPort());
      AutoCloseable evaluator = alarms;
      AutoCloseable relays = relay;
      return new ControlPlane(
          vertx,
          database,
          blocking,
          verifier,
          api,
          () -> {
            closeQuietly(evaluator);
            relays.close();
          },
          tracer,
          admin,
          List.copyOf(started));
    } catch (RuntimeException e) {
      closeQuietly(alarms);
      closeQuietly(relay);
      if (admin != null) {
        admin.close();
      }
      started.forEach(ServerFeature.Started::close);
      verifier.close();
      vertx.close();
      blocking.close();
      database.close();
      closeTracer(tracer);
      throw e;
    }
  }

  /** Every persistence port with its implementation, as the control plane wires them. */
  public static Stores<DSLContext> stores() {
    return new Stores<DSLContext>()
        .register(TenantStore.class, JooqTenantStore::new)
        .register(AuditStore.class, JooqAuditStore::new)
        .register(ApiStore.class, JooqApiStore::new)
        .register(DeploymentStore.class, JooqDeploymentStore::new)
        .register(PlanStore.class, JooqPlanStore::new)
        .register(AppStore.class, JooqAppStore::new)
        .register(ApiKeyStore.class, JooqApiKeyStore::new)
        .register(OpenApiStore.class, JooqOpenApiStore::new)
        .register(FunctionStore.class, JooqFunctionStore::new)
        .register(AuthorizerStore.class, JooqAuthorizerStore::new)
        .register(UpstreamStore.class, JooqUpstreamStore::new)
        .register(WebSocketApiStore.class, JooqWebSocketApiStore::new)
        .register(DomainStore.class, JooqDomainStore::new)
        .register(UsageStore.class, JooqUsageStore::new)
        .register(TrafficSummary.class, JooqTrafficSummary::new)
        .register(StandingStore.class, JooqStandingStore::new)
        .register(AlarmStore.class, JooqAlarmStore::new);
  }

  /**
   * Wires every management use case with the stores it names, the same graph whatever serves the
   * stores (PostgreSQL here, in-memory fakes in the use cases' tests).
   *
   * @throws IllegalStateException naming the first store a use case needs that {@code stores} does
   *     not serve
   */
  public static UseCases useCases(
      ControlPlaneSettings settings,
      Stores<?> stores,
      TenantDirectory directory,
      MachineNetwork network) {
    TxStore<TenantStore> tenantStore = stores.port(TenantStore.class);
    TxStore<ApiStore> apiStore = stores.port(ApiStore.class);
    TxStore<DeploymentStore> deploymentStore = stores.port(DeploymentStore.class);
    TxStore<PlanStore> planStore = stores.port(PlanStore.class);
    TxStore<AppStore> appStore = stores.port(AppStore.class);
    TxStore<ApiKeyStore> keyStore = stores.port(ApiKeyStore.class);
    TxStore<OpenApiStore> openApiStore = stores.port(OpenApiStore.class);
    TxStore<FunctionStore> functionStore = stores.port(FunctionStore.class);
    TxStore<AuthorizerStore> authorizerStore = stores.port(AuthorizerStore.class);
    TxStore<UpstreamStore> upstreamStore = stores.port(UpstreamStore.class);
    TxStore<WebSocketApiStore> webSocketStore = stores.port(WebSocketApiStore.class);
    OwnerLimits limits = settings.ownerLimits();
    PlanPublisher plans = new PlanPublisher(planStore);
    StagePublisher stagePublisher =
        new StagePublisher(deploymentStore, tenantStore, settings.configRecordLimit());
    Stages stages = new Stages(apiStore, deploymentStore, stagePublisher, plans, limits);
    KeyPublisher keys = new KeyPublisher(keyStore);
    TenantCaps caps = new TenantCaps(tenantStore, settings.limits());
    ApiKeys apiKeys =
        new ApiKeys(
            keyStore,
            new ApiKeyGenerator(),
            keys,
            caps,
            settings.keyRotationGrace(),
            settings.keyRotationMaxGrace());
    EgressPolicy egressPolicy = egressPolicy(settings, network);
    EgressTargets egress = new EgressTargets(egressPolicy);
    Domains domains =
        new Domains(
            stores.port(DomainStore.class),
            apiStore,
            deploymentStore,
            new DomainPublisher(
                stores.port(DomainStore.class),
                apiStore,
                tenantStore,
                settings.configRecordLimit()),
            ownershipCheck(settings.domains(), egressPolicy, network),
            settings.domains().secrets(),
            limits,
            settings.domains().gatewayDomain());
    return new UseCases(
        new Tenants(tenantStore, settings.limits().maxTenantsPerUser()),
        new Members(tenantStore, limits),
        directory,
        new AuditLog(stores.port(AuditStore.class)),
        new Apis(
            apiStore,
            (tx, apiId) -> {
              Runnable afterStages = stages.beforeApiDelete(tx, apiId);
              Runnable afterDomains = domains.beforeApiDelete(tx, apiId);
              return () -> {
                afterStages.run();
                afterDomains.run();
              };
            },
            limits),
        new Integrations(apiStore, egress, limits),
        new Routes(apiStore, authorizerStore, limits),
        stages,
        new Deployments(
            apiStore,
            deploymentStore,
            openApiStore,
            authorizerStore,
            stagePublisher,
            new FunctionTargets(functionStore),
            upstreamStore,
            webSocketStore),
        new UsagePlans(planStore, plans, limits),
        new Apps(appStore, keys, caps, limits),
        new Subscriptions(appStore, keys),
        apiKeys,
        new ApiKeyImport(keyStore, keys, apiKeys),
        caps,
        new OpenApiImport(apiStore, openApiStore, functionStore, authorizerStore, egress, limits),
        // No gateway base URL is configured yet, so exports carry a relative server URL.
        new OpenApiExport(
            apiStore, openApiStore, deploymentStore, tenantStore, authorizerStore, null),
        new UsageReports(stores.port(UsageStore.class)),
        limits,
        new Functions(functionStore, egress::problem, limits),
        new Authorizers(authorizerStore, egress::problem, limits),
        domains,
        new StageClientCertificates(deploymentStore, stagePublisher, settings.secrets()),
        new Upstreams(upstreamStore, egress::problem),
        new WebSocketApis(webSocketStore, egress::problem),
        new Alarms(
            stores.port(AlarmStore.class),
            egress::problem,
            new SigningSecrets(settings.secrets())));
  }

  /**
   * Evaluates owners' alarms every {@code TURNPIKE_CP_ALARM_INTERVAL_SECONDS}, from Prometheus when
   * the operator named one, calling their webhooks under the same egress policy their URLs were
   * saved under, signed with secrets sealed under the operator's key.
   */
  private static AutoCloseable alarmEvaluator(
      ControlPlaneSettings settings, Database database, MachineNetwork network) {
    AlarmSettings alarms = settings.alarms();
    if (alarms.interval().isZero()) {
      return () -> {};
    }
    AlarmEvaluator.Config defaults = AlarmEvaluator.Config.defaults();
    AlarmEvaluator.Config config =
        new AlarmEvaluator.Config(
            alarms.interval(),
            defaults.batchSize(),
            alarms.webhookThreads(),
            alarms.webhookPerTenant(),
            defaults.webhookQueue(),
            defaults.webhookAttempts(),
            defaults.retryDelay(),
            alarms.historyRetention(),
            defaults.pruneBatch());
    WebhookSender sender =
        new WebhookSender(egressPolicy(settings, network), network, Duration.ofSeconds(5));
    SigningSecrets secrets = new SigningSecrets(settings.secrets());
    AlarmEvaluator evaluator =
        alarms.prometheusUrl() == null
            ? new AlarmEvaluator(database.system(), sender, secrets, Clock.systemUTC(), config)
            : new AlarmEvaluator(
                database.system(),
                alarms.prometheusUrl(),
                alarms.prometheusTimeout(),
                sender,
                secrets,
                Clock.systemUTC(),
                config);
    return evaluator.start();
  }

  /** How tenants prove control of a domain, as the operator chose. */
  private static OwnershipCheck ownershipCheck(
      DomainSettings domains, EgressPolicy egress, MachineNetwork network) {
    if (DomainSettings.HTTP.equals(domains.verification())) {
      return new HttpTokenCheck(egress, network, domains.httpPort(), domains.dnsTimeout());
    }
    return OwnershipCheck.dns(new JndiTxtLookup(domains.dnsServers(), domains.dnsTimeout()));
  }

  /**
   * The egress policy the gateway applies, from the same settings, with this control plane's own
   * port among the listeners no integration may point at.
   */
  private static EgressPolicy egressPolicy(ControlPlaneSettings settings, MachineNetwork network) {
    List<HostPort> own =
        settings.port() == 0 ? List.of() : List.of(new HostPort(settings.host(), settings.port()));
    EgressPolicy policy = settings.egress().policy(network, own);
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
    features.forEach(ServerFeature.Started::close);
    verifier.close();
    await(vertx.close());
    blocking.close();
    database.close();
    closeTracer(tracer);
  }

  /** Sends the spans still queued (bounded) and stops the exporter. */
  private static void closeTracer(SdkTracerProvider tracer) {
    if (tracer != null) {
      tracer.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
