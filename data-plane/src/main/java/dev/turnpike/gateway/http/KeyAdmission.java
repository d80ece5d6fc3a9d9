package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.ApiKeyHash;
import dev.turnpike.contracts.config.ApiKeySource;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.KeyRuntime;
import dev.turnpike.gateway.runtime.PlanBinding;
import dev.turnpike.gateway.runtime.StageRuntime;
import java.time.Instant;

/**
 * Step 4's API key, for a route that requires one: the key the caller presented in {@code
 * x-api-key}, or with the API's key source {@code AUTHORIZER} the one its authorizer chose ({@code
 * usageIdentifierKey}), must be enabled, the stage's tenant's, and in a usage plan bound to the
 * stage. Every refusal is API Gateway's 403 {@code Forbidden}.
 */
final class KeyAdmission {
  static final String API_KEY_HEADER = "x-api-key";

  private KeyAdmission() {}

  static void admit(Exchange exchange, GatewayRuntime current, StageRuntime stage, long nowMillis) {
    String presented = presentedKey(exchange, stage);
    if (presented == null || presented.isEmpty()) {
      throw new GatewayFailure(GatewayResponseType.INVALID_API_KEY);
    }
    KeyRuntime key = current.keysByHash().get(ApiKeyHash.sha256Hex(presented));
    if (key == null) {
      throw new GatewayFailure(GatewayResponseType.INVALID_API_KEY);
    }
    KeyRecord record = key.record();
    if (!stage.tenantId().equals(record.tenantId())
        || !record.usableAt(Instant.ofEpochMilli(nowMillis))) {
      throw new GatewayFailure(GatewayResponseType.INVALID_API_KEY);
    }
    exchange.presentedKey = presented;
    exchange.key = key;
    for (String planId : record.planIds()) {
      PlanBinding binding = stage.plans().get(planId);
      if (binding != null) {
        exchange.plan = binding;
        return;
      }
    }
    // A valid key, but not in a usage plan for this stage.
    throw new GatewayFailure(GatewayResponseType.INVALID_API_KEY);
  }

  private static String presentedKey(Exchange exchange, StageRuntime stage) {
    if (stage.deployment().apiKeySource() == ApiKeySource.AUTHORIZER) {
      return exchange.authorization == null ? null : exchange.authorization.usageIdentifierKey();
    }
    return exchange.request.getHeader(API_KEY_HEADER);
  }
}
