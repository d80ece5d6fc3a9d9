package dev.turnpike.controlplane.api;

import java.util.Set;

/** Gateway response types an owner may override, as API Gateway names them. */
public final class GatewayResponseTypes {
  public static final Set<String> ALL =
      Set.of(
          "ACCESS_DENIED",
          "API_CONFIGURATION_ERROR",
          "AUTHORIZER_CONFIGURATION_ERROR",
          "AUTHORIZER_FAILURE",
          "BAD_REQUEST_PARAMETERS",
          "BAD_REQUEST_BODY",
          "DEFAULT_4XX",
          "DEFAULT_5XX",
          "EXPIRED_TOKEN",
          "INTEGRATION_FAILURE",
          "INTEGRATION_TIMEOUT",
          "INVALID_API_KEY",
          "INVALID_SIGNATURE",
          "MISSING_AUTHENTICATION_TOKEN",
          "QUOTA_EXCEEDED",
          "REQUEST_TOO_LARGE",
          "RESOURCE_NOT_FOUND",
          "THROTTLED",
          "UNAUTHORIZED",
          "UNSUPPORTED_MEDIA_TYPE",
          "WAF_FILTERED");

  private GatewayResponseTypes() {}
}
