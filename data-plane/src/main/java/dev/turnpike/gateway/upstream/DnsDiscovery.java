package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.gateway.upstream.TargetResolver.ServiceRecord;
import dev.turnpike.gateway.upstream.UpstreamPool.DiscoveredTarget;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream's DNS discovery on this node: resolves at once and then again on a Vert.x timer set
 * when the previous lookup ends (so never two lookups in flight), and makes each address a target.
 *
 * <p>A/AAAA discovery makes each address of the name a target. SRV discovery reads the records,
 * resolves each record's target name, and makes each address a target on the record's port with its
 * weight and priority. Either looks again when the answer's smallest TTL runs out (A/AAAA: of the
 * address records; SRV: of the SRV records), at least 1 s and at most {@code refreshSeconds} later.
 *
 * <p>A failed lookup (of the SRV records or of any name they point at) keeps the targets the last
 * good one gave, says so in the owner's log and in the pool's discovery meters, and is retried on
 * the same schedule. Addresses are not judged here: every request and probe to one passes the
 * egress policy as any target's does, so an answer pointing at loopback, metadata or the platform
 * is refused there and never reached.
 */
final class DnsDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(DnsDiscovery.class);

  private final Vertx vertx;
  private final UpstreamPool pool;
  private final UpstreamDiscovery dns;
  private final TargetResolver resolver;
  private final Runnable changed;
  // Set and read on the timer's context only.
  private boolean stopped;
  private long timerId = -1;

  DnsDiscovery(
      Vertx vertx,
      UpstreamPool pool,
      UpstreamDiscovery dns,
      TargetResolver resolver,
      Runnable changed) {
    this.vertx = vertx;
    this.pool = pool;
    this.dns = dns;
    this.resolver = resolver;
    this.changed = changed;
  }

  void start() {
    timerId = vertx.setTimer(1, ignored -> refresh());
  }

  synchronized void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private synchronized void scheduleIn(long seconds) {
    if (!stopped) {
      timerId = vertx.setTimer(seconds * 1000L, ignored -> refresh());
    }
  }

  private synchronized boolean stopped() {
    return stopped;
  }

  private void refresh() {
    if (stopped()) {
      return;
    }
    Future<Found> lookup = dns.srvRecords() ? lookUpSrv() : lookUpAddresses();
    lookup.onComplete(
        (found, error) -> {
          if (stopped()) {
            return;
          }
          if (error != null) {
            pool.discoveryFailed();
            LogContext.EMPTY
                .with(LogContext.TENANT, pool.owner().tenantId())
                .run(
                    () ->
                        LOG.warn(
                            "DNS discovery of {}, upstream {}: {} did not resolve ({}); keeping"
                                + " the targets it had",
                            pool.owner(),
                            pool.name(),
                            dns.hostname(),
                            error.toString()));
            scheduleIn(dns.refreshSeconds());
            return;
          }
          if (pool.discovered(found.targets())) {
            changed.run();
          }
          scheduleIn(found.nextLookupSeconds());
        });
  }

  /** What one lookup found, and when to look again. */
  private record Found(List<DiscoveredTarget> targets, long nextLookupSeconds) {}

  private Future<Found> lookUpAddresses() {
    return resolver
        .resolve(dns.hostname())
        .map(
            answer -> {
              List<DiscoveredTarget> targets = new ArrayList<>();
              for (InetAddress address : answer.addresses()) {
                targets.add(
                    new DiscoveredTarget(
                        new UpstreamTarget(url(address, dns.port()), dns.weight()), 0));
              }
              return new Found(capped(targets), nextLookup(answer.ttlSeconds()));
            });
  }

  private Future<Found> lookUpSrv() {
    return resolver
        .resolveSrv(dns.hostname())
        .compose(
            records -> {
              List<ServiceRecord> used = new ArrayList<>();
              for (ServiceRecord record : records) {
                // RFC 2782: a target of "." says the service is decidedly not available here.
                if (record.target() != null
                    && !record.target().isEmpty()
                    && !record.target().equals(".")
                    && used.size() < UpstreamConfig.MAX_TARGETS) {
                  used.add(record);
                }
              }
              used.sort(Comparator.comparingInt(ServiceRecord::priority));
              List<Future<TargetResolver.Addresses>> lookups = new ArrayList<>();
              for (ServiceRecord record : used) {
                lookups.add(resolver.resolve(record.target()));
              }
              return Future.all(lookups)
                  .map(
                      all -> {
                        List<DiscoveredTarget> targets = new ArrayList<>();
                        for (int i = 0; i < used.size(); i++) {
                          ServiceRecord record = used.get(i);
                          TargetResolver.Addresses addresses = all.resultAt(i);
                          for (InetAddress address : addresses.addresses()) {
                            targets.add(
                                new DiscoveredTarget(
                                    new UpstreamTarget(
                                        url(address, record.port()), weight(record.weight())),
                                    record.priority()));
                          }
                        }
                        return new Found(capped(targets), nextSrvLookup(records));
                      });
            });
  }

  /** The records' smallest TTL, within 1 s and the owner's refresh interval. */
  private long nextSrvLookup(List<ServiceRecord> records) {
    long next = Long.MAX_VALUE;
    for (ServiceRecord record : records) {
      next = Math.min(next, record.ttlSeconds());
    }
    return nextLookup(next);
  }

  /** An answer's TTL within 1 s (a TTL of 0 asks not to cache) and the owner's refresh interval. */
  private long nextLookup(long ttlSeconds) {
    return Math.max(1, Math.min(dns.refreshSeconds(), ttlSeconds));
  }

  /**
   * An SRV weight (0–65535) as a target weight (1–1000): 0, "a very small chance", is 1; weights
   * above 1000 count as 1000.
   */
  static int weight(int srvWeight) {
    return Math.max(1, Math.min(UpstreamConfig.MAX_WEIGHT, srvWeight));
  }

  private static List<DiscoveredTarget> capped(List<DiscoveredTarget> targets) {
    return targets.size() <= UpstreamConfig.MAX_TARGETS
        ? targets
        : targets.subList(0, UpstreamConfig.MAX_TARGETS);
  }

  private String url(InetAddress address, int port) {
    String literal = address.getHostAddress();
    int scope = literal.indexOf('%');
    if (scope >= 0) {
      literal = literal.substring(0, scope);
    }
    String host = address instanceof Inet6Address ? "[" + literal + "]" : literal;
    return dns.scheme() + "://" + host + ":" + port;
  }
}
