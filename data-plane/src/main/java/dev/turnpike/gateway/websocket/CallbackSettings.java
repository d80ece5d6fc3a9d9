package dev.turnpike.gateway.websocket;

import dev.turnpike.egress.HostPort;
import dev.turnpike.settings.SettingsReader;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node takes part in the {@code @connections} API across nodes.
 *
 * @param auth the callback tokens, under {@code TURNPIKE_GATEWAY_CALLBACK_SECRET} (the same on
 *     every node) or a secret of this node alone when it is not set
 * @param peers the other nodes' gateway listeners ({@code host:port} by node id), from {@code
 *     TURNPIKE_GATEWAY_PEERS} ({@code gw-1=10.0.0.5:8080,gw-2=10.0.0.6:8080}); callbacks for their
 *     connections are forwarded there, and to no other address
 */
public record CallbackSettings(CallbackAuth auth, Map<String, String> peers) {
  public CallbackSettings {
    peers = Map.copyOf(peers);
  }

  public static CallbackSettings read(SettingsReader read) {
    String secret = read.secret("TURNPIKE_GATEWAY_CALLBACK_SECRET", false);
    CallbackAuth auth = CallbackAuth.random();
    if (secret != null && !secret.isBlank()) {
      try {
        auth = new CallbackAuth(Base64.getDecoder().decode(secret.strip()));
      } catch (IllegalArgumentException e) {
        read.problem(
            "TURNPIKE_GATEWAY_CALLBACK_SECRET must be at least 32 bytes, base64: "
                + e.getMessage());
      }
    }
    Map<String, String> peers = new LinkedHashMap<>();
    List<String> entries = read.list("TURNPIKE_GATEWAY_PEERS", List.of());
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        read.problem("TURNPIKE_GATEWAY_PEERS: expected nodeId=host:port, got '" + entry + "'");
        continue;
      }
      try {
        HostPort address = HostPort.parse(entry.substring(equals + 1).strip());
        peers.put(entry.substring(0, equals).strip(), address.toString());
      } catch (IllegalArgumentException e) {
        read.problem("TURNPIKE_GATEWAY_PEERS: " + e.getMessage());
      }
    }
    return new CallbackSettings(auth, peers);
  }
}
