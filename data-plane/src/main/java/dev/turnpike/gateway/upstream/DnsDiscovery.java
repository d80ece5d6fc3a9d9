package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamDiscovery;
import dev.turnpike.contracts.config.UpstreamTarget;
import dev.turnpike.logging.LogContext;
import io.vertx.core.Vertx;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream's DNS discovery on this node: resolves the name at once and then every refresh
 * interval on a Vert.x timer (never two lookups in flight), and makes each address a target. A
 * failed lookup keeps the targets the last one gave. Addresses are not judged here: every request
 * and probe to one passes the egress policy as any target's does, so an answer pointing at
 * loopback, metadata or the platform is refused there and never reached.
 */
final class DnsDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(DnsDiscovery.class);

  private final Vertx vertx;
  private final UpstreamPool pool;
  private final UpstreamDiscovery dns;
  private final TargetResolver resolver;
  private final Runnable changed;
  private final AtomicBoolean resolving = new AtomicBoolean();
  private volatile boolean stopped;
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
    timerId = vertx.setPeriodic(0, dns.refreshSeconds() * 1000L, ignored -> refresh());
  }

  void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void refresh() {
    if (stopped || !resolving.compareAndSet(false, true)) {
      return;
    }
    resolver
        .resolve(dns.hostname())
        .onComplete(
            (addresses, error) -> {
              resolving.set(false);
              if (stopped) {
                return;
              }
              if (error != null) {
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
                return;
              }
              if (pool.discovered(targets(addresses))) {
                changed.run();
              }
            });
  }

  private List<UpstreamTarget> targets(List<InetAddress> addresses) {
    List<UpstreamTarget> targets = new ArrayList<>();
    for (InetAddress address : addresses) {
      if (targets.size() >= UpstreamConfig.MAX_TARGETS) {
        break;
      }
      String literal = address.getHostAddress();
      int scope = literal.indexOf('%');
      if (scope >= 0) {
        literal = literal.substring(0, scope);
      }
      String host = address instanceof Inet6Address ? "[" + literal + "]" : literal;
      targets.add(new UpstreamTarget(dns.scheme() + "://" + host + ":" + dns.port(), dns.weight()));
    }
    return targets;
  }
}
