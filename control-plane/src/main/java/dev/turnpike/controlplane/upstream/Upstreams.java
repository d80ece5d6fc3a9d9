package dev.turnpike.controlplane.upstream;

import dev.turnpike.contracts.config.UpstreamBalancing;
import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.controlplane.function.InvokeUrlPolicy;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of an API's upstreams. An upstream is stated by name with a PUT that creates or
 * replaces it; the rules are the contract's ({@link UpstreamConfig#problems()}), so what the
 * control plane accepts is what a gateway node serves. Every target is held to the egress policy
 * integration URIs are held to; the gateway checks them again on each request and each probe, on
 * the address a name resolves to, and so every address DNS discovery finds.
 */
public final class Upstreams {
  /** An API's upstreams at most: each gets meters on every node that serves the API. */
  public static final int MAX_PER_API = 16;

  private final TxStore<UpstreamStore> upstreamStore;
  private final InvokeUrlPolicy egress;

  public Upstreams(TxStore<UpstreamStore> upstreamStore, InvokeUrlPolicy egress) {
    this.upstreamStore = upstreamStore;
    this.egress = egress;
  }

  /** Creates {@code name}, or replaces what it was (keeping its id). */
  public Upstream put(TenantTx tx, UUID apiId, String name, UpstreamSpec in) {
    UpstreamStore store = upstreamStore.in(tx);
    if (!store.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    UpstreamConfig config = judge(tx, name, in);
    Upstream before = store.find(apiId, name).orElse(null);
    if (before == null) {
      if (store.count(apiId) >= MAX_PER_API) {
        throw ApiFailure.conflict(
            "The API has " + MAX_PER_API + " upstreams, the most it may have; delete one first");
      }
      Upstream created =
          new Upstream(
              UUID.randomUUID(),
              apiId,
              name,
              config.balancing(),
              config.targets(),
              config.healthCheck(),
              config.discovery(),
              tx.now(),
              tx.now());
      store.insert(created);
      tx.audit().record("upstream.create", "upstream", created.id(), null, created);
      return created;
    }
    Upstream after =
        new Upstream(
            before.id(),
            apiId,
            name,
            config.balancing(),
            config.targets(),
            config.healthCheck(),
            config.discovery(),
            before.createdAt(),
            tx.now());
    store.update(after);
    tx.audit().record("upstream.update", "upstream", after.id(), before, after);
    return after;
  }

  /**
   * @throws ApiFailure 400 listing every problem
   */
  UpstreamConfig judge(TenantTx tx, String name, UpstreamSpec in) {
    Validation v = new Validation();
    if (in == null) {
      v.add("", "must be an upstream: {targets: [{url, weight}], balancing, healthCheck}");
      v.throwIfInvalid();
    }
    UpstreamConfig config =
        new UpstreamConfig(
            name,
            in.balancing() == null ? UpstreamBalancing.ROUND_ROBIN : in.balancing(),
            in.targets() == null ? List.of() : in.targets(),
            in.healthCheck(),
            in.discovery());
    for (String problem : config.problems()) {
      v.add(pointerOf(problem), problem);
    }
    if (v.ok()) {
      List<UpstreamTarget> targets = config.targets();
      for (int i = 0; i < targets.size(); i++) {
        String refused = egress.problem(tx.tenantId(), targets.get(i).url());
        if (refused != null) {
          v.add("/targets/" + i + "/url", refused);
        }
      }
      UpstreamDiscovery dns = config.discovery();
      if (dns != null) {
        // A name the policy refuses outright (a reserved or platform name); the addresses it
        // resolves to are judged by the gateway on every request.
        String refused =
            egress.problem(
                tx.tenantId(),
                dns.srvRecords()
                    ? dns.scheme() + "://" + serviceHost(dns.hostname())
                    : dns.scheme() + "://" + dns.hostname() + ":" + dns.port());
        if (refused != null) {
          v.add("/discovery/hostname", refused);
        }
      }
    }
    v.throwIfInvalid();
    return config;
  }

  /**
   * The host an SRV name's service is published under, without the {@code _service._proto} labels:
   * {@code _http._tcp.metadata.google.internal} is judged as {@code metadata.google.internal}.
   */
  static String serviceHost(String srvName) {
    String host = srvName;
    while (host.startsWith("_") && host.indexOf('.') > 0) {
      host = host.substring(host.indexOf('.') + 1);
    }
    return host;
  }

  private static String pointerOf(String problem) {
    if (problem.startsWith("name")) {
      return "/name";
    }
    if (problem.startsWith("healthCheck")) {
      return "/healthCheck";
    }
    if (problem.startsWith("discovery")) {
      return "/discovery";
    }
    return "/targets";
  }

  public Upstream get(TenantTx tx, UUID apiId, String name) {
    UpstreamStore store = upstreamStore.in(tx);
    if (!store.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return store.find(apiId, name).orElseThrow(() -> notFound(name));
  }

  public List<Upstream> list(TenantTx tx, UUID apiId) {
    UpstreamStore store = upstreamStore.in(tx);
    if (!store.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return store.list(apiId);
  }

  /**
   * Deployments keep the upstreams they froze, so running stages carry on; the next deployment
   * refuses integrations that still name a deleted upstream.
   */
  public void delete(TenantTx tx, UUID apiId, String name) {
    UpstreamStore store = upstreamStore.in(tx);
    if (!store.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    Upstream before = store.find(apiId, name).orElseThrow(() -> notFound(name));
    store.delete(before.id());
    tx.audit().record("upstream.delete", "upstream", before.id(), before, null);
  }

  static ApiFailure notFound(String name) {
    return ApiFailure.notFound("Upstream " + name);
  }

  private static ApiFailure apiNotFound(UUID apiId) {
    return ApiFailure.notFound("API " + apiId);
  }
}
