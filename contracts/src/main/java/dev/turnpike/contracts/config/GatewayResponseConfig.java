package dev.turnpike.contracts.config;

import java.util.Map;

/**
 * An owner's override of one gateway response type (e.g. {@code THROTTLED}); a null status keeps
 * the type's default status.
 */
public record GatewayResponseConfig(Integer statusCode, Map<String, String> headers, String body) {
  public GatewayResponseConfig {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
