package dev.turnpike.platform;

import dev.turnpike.egress.HostPort;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every address the platform's own parts answer on, for the egress policy: the trial policy of a
 * one-machine platform lets tenants' integrations reach loopback (the demo backend lives there),
 * and these listeners are what it must still keep them from: the gateway's admin port, the control
 * plane, the portal, metering's admin and billing ports, Keycloak, Kafka and PostgreSQL, embedded
 * or external.
 */
final class PlatformListeners {
  private PlatformListeners() {}

  static List<HostPort> of(PlatformSettings settings) {
    Set<HostPort> listeners = new LinkedHashSet<>();
    List<Integer> local = new ArrayList<>();
    PlatformSettings.Ports ports = settings.ports();
    local.addAll(
        List.of(
            ports.controlPlane(),
            ports.gateway(),
            ports.gatewayAdmin(),
            ports.gatewayDomains(),
            ports.metering(),
            ports.billing(),
            ports.portal()));
    if (settings.database().embedded()) {
      local.add(settings.database().embeddedPort());
    } else {
      addUrl(listeners, settings.database().jdbcUrl().substring("jdbc:".length()), 5432);
    }
    if (settings.kafka().embedded()) {
      local.add(settings.kafka().port());
      local.add(settings.kafka().controllerPort());
    } else {
      for (String server : settings.kafka().bootstrapServers().split(",")) {
        addHostPort(listeners, server.strip());
      }
    }
    if (settings.keycloak().embedded()) {
      local.add(settings.keycloak().port());
    } else {
      addUrl(listeners, settings.keycloak().baseUrl(), -1);
    }
    // Embedded parts listen on loopback at least, the services on the platform's host too.
    for (int port : local) {
      listeners.add(new HostPort("127.0.0.1", port));
      if (!settings.bindHost().equals("127.0.0.1") && !settings.bindHost().equals("localhost")) {
        listeners.add(new HostPort(settings.bindHost(), port));
      }
    }
    return List.copyOf(listeners);
  }

  /** {@code a:1,b:2}: what the services' {@code TURNPIKE_EGRESS_PLATFORM_LISTENERS} takes. */
  static String text(List<HostPort> listeners) {
    return String.join(",", listeners.stream().map(HostPort::toString).toList());
  }

  private static void addUrl(Set<HostPort> listeners, String url, int defaultPort) {
    URI uri = URI.create(url);
    if (uri.getHost() == null) {
      return;
    }
    int port = uri.getPort();
    if (port < 0) {
      port = defaultPort > 0 ? defaultPort : "https".equals(uri.getScheme()) ? 443 : 80;
    }
    listeners.add(new HostPort(uri.getHost(), port));
  }

  private static void addHostPort(Set<HostPort> listeners, String server) {
    try {
      listeners.add(HostPort.parse(server));
    } catch (IllegalArgumentException e) {
      // Kafka reads the servers itself and reports a bad one; nothing to refuse here.
    }
  }
}
