package dev.turnpike.gateway.cluster;

import dev.turnpike.egress.HostPort;
import dev.turnpike.settings.SettingsReader;
import java.time.Duration;
import java.util.List;

/**
 * How a node learns which nodes share its limits and its {@code @connections} callbacks.
 *
 * @param kafka true ({@code TURNPIKE_GATEWAY_MEMBERSHIP=kafka}, the default) to learn the live
 *     nodes from their heartbeats on the topic {@link KafkaMembership#TOPIC}; false ({@code
 *     static}) for the fixed {@code TURNPIKE_GATEWAY_NODE_COUNT} and {@code TURNPIKE_GATEWAY_PEERS}
 * @param heartbeat how often the node says it is alive ({@code TURNPIKE_GATEWAY_HEARTBEAT_MS})
 * @param expiry how long a node counts as alive after its last heartbeat ({@code
 *     TURNPIKE_GATEWAY_NODE_EXPIRY_MS}); two heartbeats by default, so that one late record is no
 *     departure, while a node that died is given up within 5 s: until then the others hold back its
 *     part of every limit
 * @param advertisedAddress where the other nodes reach this node's traffic listener, {@code
 *     host:port} ({@code TURNPIKE_GATEWAY_ADVERTISED_ADDRESS}); null for this machine's address and
 *     the traffic port
 */
public record MembershipSettings(
    boolean kafka, Duration heartbeat, Duration expiry, String advertisedAddress) {

  public static MembershipSettings read(SettingsReader read) {
    String mode = read.oneOf("TURNPIKE_GATEWAY_MEMBERSHIP", "kafka", List.of("kafka", "static"));
    Duration heartbeat = read.millis("TURNPIKE_GATEWAY_HEARTBEAT_MS", 2_000, 50, 60_000);
    Duration expiry = read.millis("TURNPIKE_GATEWAY_NODE_EXPIRY_MS", 4_000, 100, 600_000);
    if (expiry.compareTo(heartbeat.multipliedBy(2)) < 0) {
      read.problem(
          "TURNPIKE_GATEWAY_NODE_EXPIRY_MS must be at least twice TURNPIKE_GATEWAY_HEARTBEAT_MS,"
              + " or a node counts as gone between two heartbeats");
    }
    String advertised = read.optional("TURNPIKE_GATEWAY_ADVERTISED_ADDRESS");
    if (advertised != null) {
      try {
        advertised = HostPort.parse(advertised.strip()).toString();
      } catch (IllegalArgumentException e) {
        read.problem("TURNPIKE_GATEWAY_ADVERTISED_ADDRESS: " + e.getMessage());
        advertised = null;
      }
    }
    return new MembershipSettings("kafka".equals(mode), heartbeat, expiry, advertised);
  }
}
