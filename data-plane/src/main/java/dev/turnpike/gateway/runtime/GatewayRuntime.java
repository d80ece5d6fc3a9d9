package dev.turnpike.gateway.runtime;

import java.util.Map;

/**
 * Everything the gateway serves from, immutable; a config change builds a new one and swaps it in
 * whole, so a request sees one consistent version from start to end.
 *
 * @param stages by {@code tenantSlug/apiSlug/stage}
 */
public record GatewayRuntime(
    Map<String, StageRuntime> stages, Map<String, KeyRuntime> keysByHash, long configVersion) {

  public static final GatewayRuntime EMPTY = new GatewayRuntime(Map.of(), Map.of(), -1);

  public static String stageAddress(String tenantSlug, String apiSlug, String stage) {
    return tenantSlug + '/' + apiSlug + '/' + stage;
  }

  public StageRuntime stage(String tenantSlug, String apiSlug, String stage) {
    return stages.get(stageAddress(tenantSlug, apiSlug, stage));
  }
}
