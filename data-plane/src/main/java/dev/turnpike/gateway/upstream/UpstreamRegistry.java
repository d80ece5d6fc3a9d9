package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.gateway.integration.EgressGuard;
import dev.turnpike.gateway.integration.IntegrationOwner;
import dev.turnpike.gateway.integration.UpstreamClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        TargetResolver.dns(
            () ->
                settings.dnsServer() == null
                    ? clients.vertx().createDnsClient()
                    : clients
                        .vertx()
                        .createDnsClient(
                            settings.dnsServer().port(), settings.dnsServer().host())));
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
      if (kept != null && kept.config().equals(config)) {
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
      pools.put(config.name(), start(deployment, config));
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

  private UpstreamPool start(DeploymentSnapshot deployment, UpstreamConfig config) {
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
    if (config.healthCheck() != null) {
      HealthProbes probes = new HealthProbes(vertx, pool, config.healthCheck());
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
