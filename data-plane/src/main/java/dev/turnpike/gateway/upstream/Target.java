package dev.turnpike.gateway.upstream;

import dev.turnpike.contracts.config.UpstreamConfig;
import dev.turnpike.contracts.config.UpstreamTarget;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One target of an upstream on this node: where it is, its weight, its requests in flight, its
 * breaker (fed by real traffic: the passive check) and its active health (fed by probes).
 */
public final class Target {
  private final String url;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final int weight;
  private final int priority;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean probing = new AtomicBoolean();
  // Optimistic: a new deployment serves at once; probes take a target out when it fails them.
  private volatile boolean healthy = true;
  private int probePasses;
  private int probeFailures;
  // Written by the balancer under the pool's lock only.
  long currentWeight;

  Target(UpstreamTarget config, CircuitBreaker breaker) {
    this(config, 0, breaker);
  }

  /**
   * @param priority an SRV record's: the balancer uses the lowest priority that has an available
   *     target, so the higher ones are fallbacks; fixed targets are 0
   */
  Target(UpstreamTarget config, int priority, CircuitBreaker breaker) {
    URI url = UpstreamConfig.parse(config.url());
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) target: " + config.url());
    }
    this.url = config.url();
    this.ssl = url.getScheme().toLowerCase(Locale.ROOT).equals("https");
    this.host =
        url.getHost().startsWith("[")
            ? url.getHost().substring(1, url.getHost().length() - 1)
            : url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.weight = config.weight();
    this.priority = priority;
    this.breaker = breaker;
  }

  /** The URL it was configured or discovered as. */
  public String url() {
    return url;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean ssl() {
    return ssl;
  }

  /** The target's path prefix without a trailing slash, empty for none. */
  public String basePath() {
    return basePath;
  }

  public int weight() {
    return weight;
  }

  public int priority() {
    return priority;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /** {@code host:port}, as metrics and logs name the target. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  public boolean healthy() {
    return healthy;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Whether the balancer may pick it: healthy and its breaker would let a request through. */
  boolean available() {
    return healthy && breaker.mayPass();
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  /** Takes the one probe slot: never more than one health probe in flight per target. */
  boolean startProbe() {
    return probing.compareAndSet(false, true);
  }

  synchronized void probed(boolean passed, int healthyThreshold, int unhealthyThreshold) {
    probing.set(false);
    if (passed) {
      probeFailures = 0;
      if (!healthy && ++probePasses >= healthyThreshold) {
        healthy = true;
        probePasses = 0;
      }
    } else {
      probePasses = 0;
      if (healthy && ++probeFailures >= unhealthyThreshold) {
        healthy = false;
        probeFailures = 0;
      }
    }
  }
}
