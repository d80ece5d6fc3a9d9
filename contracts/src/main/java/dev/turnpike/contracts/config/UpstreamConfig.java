package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named set of targets an API's {@code http} and {@code http_proxy} integrations can send to,
 * with {@code uri: "upstream://{name}/path"}. Upstreams belong to an API and are frozen into each
 * of its deployments, so a gateway node balances, checks and retries without asking the control
 * plane.
 *
 * @param healthCheck the active health check; null for none (passive checks and the circuit breaker
 *     always run)
 */
public record UpstreamConfig(
    String name,
    UpstreamBalancing balancing,
    List<UpstreamTarget> targets,
    UpstreamHealthCheck healthCheck,
    @JsonInclude(JsonInclude.Include.NON_NULL) UpstreamDiscovery discovery) {
  /** The scheme an integration URI names an upstream with. */
  public static final String SCHEME = "upstream://";

  public static final int MAX_TARGETS = 32;
  public static final int MAX_WEIGHT = 1000;
  private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");

  public UpstreamConfig {
    balancing = balancing == null ? UpstreamBalancing.ROUND_ROBIN : balancing;
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  /** An upstream of fixed targets only. */
  public UpstreamConfig(
      String name,
      UpstreamBalancing balancing,
      List<UpstreamTarget> targets,
      UpstreamHealthCheck healthCheck) {
    this(name, balancing, targets, healthCheck, null);
  }

  /**
   * What is wrong with this upstream, in words an owner can act on; empty when it is valid. The
   * control plane answers these as a 400; a node refuses an upstream with any.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!isName(name)) {
      problems.add(
          "name must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a"
              + " hyphen");
    }
    if ((targets.isEmpty() && discovery == null) || targets.size() > MAX_TARGETS) {
      problems.add("an upstream needs 1 to " + MAX_TARGETS + " targets, or discovery");
    }
    if (discovery != null) {
      discoveryProblems(discovery, problems);
    }
    Set<String> seen = new HashSet<>();
    for (UpstreamTarget target : targets) {
      String url = target == null ? null : target.url();
      if (url == null || parse(url) == null) {
        problems.add("target url must be an absolute http or https URL without query: " + url);
        continue;
      }
      if (!seen.add(url)) {
        problems.add("target " + url + " is listed twice");
      }
      if (target.weight() < 1 || target.weight() > MAX_WEIGHT) {
        problems.add("target " + url + ": weight must be 1 to " + MAX_WEIGHT);
      }
    }
    if (healthCheck != null) {
      UpstreamHealthCheck check = healthCheck;
      if (check.path() == null || !check.path().startsWith("/")) {
        problems.add("healthCheck.path must start with /");
      }
      if (check.intervalMillis() < UpstreamHealthCheck.MIN_INTERVAL_MILLIS
          || check.intervalMillis() > UpstreamHealthCheck.MAX_INTERVAL_MILLIS) {
        problems.add(
            "healthCheck.intervalMillis must be "
                + UpstreamHealthCheck.MIN_INTERVAL_MILLIS
                + " to "
                + UpstreamHealthCheck.MAX_INTERVAL_MILLIS);
      }
      if (check.timeoutMillis() < UpstreamHealthCheck.MIN_TIMEOUT_MILLIS
          || check.timeoutMillis() > check.intervalMillis()) {
        problems.add(
            "healthCheck.timeoutMillis must be "
                + UpstreamHealthCheck.MIN_TIMEOUT_MILLIS
                + " to the interval");
      }
      if (outOfRange(check.healthyThreshold()) || outOfRange(check.unhealthyThreshold())) {
        problems.add("healthCheck thresholds must be 1 to " + UpstreamHealthCheck.MAX_THRESHOLD);
      }
    }
    return problems;
  }

  /** Whether {@code name} may name an upstream: a DNS label, lowercase. */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static void discoveryProblems(UpstreamDiscovery dns, List<String> problems) {
    if (dns.hostname() == null
        || !HOSTNAME.matcher(dns.hostname()).matches()
        || dns.hostname().chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      problems.add("discovery.hostname must be a DNS name");
    }
    if (!UpstreamDiscovery.A.equals(dns.records()) && !dns.srvRecords()) {
      problems.add("discovery.records must be a (A and AAAA records) or srv (SRV records)");
    } else if (dns.srvRecords()) {
      if (dns.port() != 0 || dns.weight() != 0) {
        problems.add(
            "discovery.port and discovery.weight come from the SRV records; leave them out");
      }
    } else {
      if (dns.port() < 1 || dns.port() > 65_535) {
        problems.add("discovery.port must be 1 to 65535");
      }
      if (dns.weight() < 1 || dns.weight() > MAX_WEIGHT) {
        problems.add("discovery.weight must be 1 to " + MAX_WEIGHT);
      }
    }
    if (!"http".equals(dns.scheme()) && !"https".equals(dns.scheme())) {
      problems.add("discovery.scheme must be http or https");
    }
    if (dns.refreshSeconds() < 1 || dns.refreshSeconds() > UpstreamDiscovery.MAX_REFRESH_SECONDS) {
      problems.add(
          "discovery.refreshSeconds must be 1 to " + UpstreamDiscovery.MAX_REFRESH_SECONDS);
    }
  }

  private static boolean outOfRange(int threshold) {
    return threshold < 1 || threshold > UpstreamHealthCheck.MAX_THRESHOLD;
  }

  /** The URL parsed, or null unless it is an absolute http(s) URL with a host and no query. */
  public static URI parse(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        return null;
      }
      if (uri.getRawUserInfo() != null) {
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * The upstream an integration URI names ({@code upstream://name/...}), or null when it names a
   * host.
   */
  public static String nameIn(String integrationUri) {
    if (integrationUri == null
        || !integrationUri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    int end = integrationUri.length();
    for (int i = SCHEME.length(); i < integrationUri.length(); i++) {
      char c = integrationUri.charAt(i);
      if (c == '/' || c == '?') {
        end = i;
        break;
      }
    }
    return integrationUri.substring(SCHEME.length(), end);
  }
}
