package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.contracts.config.RouteConfig;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.UpstreamClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's upstream pools, held per deployed stage. A redeploy keeps the pool (and so the
 * targets' breakers, health and balancer position) of every upstream whose config did not change;
 * the others are stopped: their probes cancelled and their meters removed. Runs on the config
 * thread, as the runtime compiler does.
 *
 * <p>Meters: {@code turnpike.gateway.upstream.target.healthy} (1 healthy, 0 not, by active probes)
 * and {@code turnpike.gateway.upstream.target.breaker} (0 closed, 1 half-open, 2 open), tagged by
 * tenant, API, stage, upstream and target; bounded by the stages served times {@link
 * UpstreamConfig#MAX_TARGETS} per upstream.
 */
public final class UpstreamRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamRegistry.class);

  private final Vertx vertx;
  private final UpstreamClients clients;
  private final EgressGuard guard;
  private final MeterRegistry meters;
  private final UpstreamSettings settings;
  private final LongSupplier nanoClock;
  private final Map<String, StageUpstreams> held = new HashMap<>();
  private final TargetResolver resolver;
  private final Map<UpstreamPool, HealthProbes> probing = new HashMap<>();
  private final Map<UpstreamPool, DnsDiscovery> discovering = new HashMap<>();
  // The backend TLS each pool's probes were started with: a redeploy that changes it starts anew.
  private final Map<UpstreamPool, BackendTls> probeSettings = new HashMap<>();
  // Activated on commit, after the replaced pools' meters are gone: the same ids would otherwise
  // keep reading the replaced pool's targets.
  private final Map<UpstreamPool, TargetMeters> metered = new HashMap<>();

  public UpstreamRegistry(
      UpstreamClients clients,
      EgressGuard guard,
      MeterRegistry meters,
      UpstreamSettings settings,
      LongSupplier nanoClock,
      TargetResolver resolver) {
    this.resolver = resolver;
    this.vertx = clients.vertx();
    this.clients = clients;
    this.guard = guard;
    this.meters = meters;
    this.settings = settings;
    this.nanoClock = nanoClock;
  }

  /** Discovery asks the DNS server the settings name, or the node's resolvers' first. */
  public UpstreamRegistry(
      UpstreamClients clients,
      EgressGuard guard,
      MeterRegistry meters,
      UpstreamSettings settings,
      LongSupplier nanoClock) {
    this(
        clients,
        guard,
        meters,
        settings,
        nanoClock,
        TargetResolver.dns(clients.vertx(), settings.dnsServer()));
  }

  public UpstreamRegistry(
      UpstreamClients clients, EgressGuard guard, MeterRegistry meters, UpstreamSettings settings) {
    this(clients, guard, meters, settings, System::nanoTime);
  }

  /**
   * The pools of {@code deployment}'s upstreams: those of the stage held under {@code key} whose
   * config is unchanged, new (and started) ones for the rest. An invalid upstream gets no pool;
   * integrations naming it answer 500, with the reason in the log.
   */
  public StageUpstreams open(String key, DeploymentSnapshot deployment) {
    if (deployment.upstreams().isEmpty()) {
      return StageUpstreams.NONE;
    }
    StageUpstreams before = held.getOrDefault(key, StageUpstreams.NONE);
    Map<String, UpstreamPool> pools = new HashMap<>();
    for (UpstreamConfig config : deployment.upstreams()) {
      UpstreamPool kept = before.pool(config.name());
      BackendTls probeTls = probeTls(deployment, config.name());
      if (kept != null
          && kept.config().equals(config)
          && Objects.equals(probeSettings.get(kept), probeTls)) {
        pools.put(config.name(), kept);
        continue;
      }
      List<String> problems = config.problems();
      if (!problems.isEmpty()) {
        LOG.warn(
            "upstream {} of deployment {} is not served: {}",
            config.name(),
            deployment.deploymentId(),
            problems);
        continue;
      }
      pools.put(config.name(), start(deployment, config, probeTls));
    }
    return new StageUpstreams(pools);
  }

  /** Makes {@code upstreams} the ones held under {@code key}, stopping those it no longer uses. */
  public void commit(String key, StageUpstreams upstreams) {
    StageUpstreams before = held.put(key, upstreams);
    if (before != null) {
      stopUnused(before, upstreams);
    }
    upstreams.pools().values().forEach(pool -> metered.get(pool).activate());
  }

  /** Stops the pools {@code upstreams} started that the stage held under {@code key} lacks. */
  public void discard(String key, StageUpstreams upstreams) {
    stopUnused(upstreams, held.getOrDefault(key, StageUpstreams.NONE));
  }

  /** Meaningless when nothing is verified; the integrations' rule (IntegrationFactory). */
  private static String serverNameToVerify(BackendTls tls) {
    if (tls.insecureSkipVerification()
        || tls.serverNameToVerify() == null
        || tls.serverNameToVerify().isBlank()) {
      return null;
    }
    return tls.serverNameToVerify().trim();
  }

  /** Stops the pools held under {@code key}: its stage is no longer served. */
  public void release(String key) {
    StageUpstreams before = held.remove(key);
    if (before != null) {
      stopUnused(before, StageUpstreams.NONE);
    }
  }

  /** Stops every pool. */
  public void close() {
    new ArrayList<>(held.keySet()).forEach(this::release);
  }

  private void stopUnused(StageUpstreams old, StageUpstreams current) {
    for (UpstreamPool pool : old.pools().values()) {
      if (current.pool(pool.name()) != pool) {
        probeSettings.remove(pool);
        HealthProbes probes = probing.remove(pool);
        if (probes != null) {
          probes.stop();
        }
        DnsDiscovery discovery = discovering.remove(pool);
        if (discovery != null) {
          discovery.stop();
        }
        TargetMeters registered = metered.remove(pool);
        if (registered != null) {
          registered.close();
        }
      }
    }
  }

  /**
   * The backend TLS the health probes of upstream {@code name} use: the one setting every routed
   * integration naming it has (a private CA, a client certificate, a name to verify), or null for
   * the node's defaults when they have none or differ.
   */
  static BackendTls probeTls(DeploymentSnapshot deployment, String name) {
    Set<Optional<BackendTls>> settings = new HashSet<>();
    for (RouteConfig route : deployment.routes()) {
      IntegrationConfig integration = route.integration();
      if (integration != null && name.equals(UpstreamConfig.nameIn(integration.uri()))) {
        settings.add(Optional.ofNullable(integration.tls()));
      }
    }
    return settings.size() == 1 ? settings.iterator().next().orElse(null) : null;
  }

  private UpstreamPool start(
      DeploymentSnapshot deployment, UpstreamConfig config, BackendTls probeTls) {
    IntegrationOwner owner =
        new IntegrationOwner(
            deployment.tenantId(),
            deployment.tenantSlug(),
            deployment.apiSlug(),
            deployment.stage(),
            "upstream " + config.name());
    UpstreamPool pool =
        new UpstreamPool(
            config, owner, clients.forTenant(deployment.tenantId()), guard, settings, nanoClock);
    TargetMeters poolMeters = new TargetMeters(meters, pool);
    metered.put(pool, poolMeters);
    probeSettings.put(pool, probeTls);
    if (config.healthCheck() != null) {
      ClientSSLOptions tls = null;
      String serverName = null;
      if (probeTls != null) {
        try {
          tls = clients.tlsOptions(deployment.tenantId(), probeTls);
          serverName = serverNameToVerify(probeTls);
        } catch (IllegalArgumentException e) {
          // The integrations cannot use these settings either; their requests fail as they say.
          LOG.warn(
              "upstream {} of deployment {}: health probes use the default TLS: {}",
              config.name(),
              deployment.deploymentId(),
              e.getMessage());
        }
      }
      HealthProbes probes = new HealthProbes(vertx, pool, config.healthCheck(), tls, serverName);
      probing.put(pool, probes);
      probes.start();
    }
    if (config.discovery() != null) {
      DnsDiscovery discovery =
          new DnsDiscovery(vertx, pool, config.discovery(), resolver, poolMeters::refresh);
      discovering.put(pool, discovery);
      discovery.start();
    }
    return pool;
  }
}
