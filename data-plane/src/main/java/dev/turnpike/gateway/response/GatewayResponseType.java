package dev.turnpike.gateway.response;

import dev.turnpike.contracts.usage.Outcome;

/**
 * The gateway's own responses, named and defaulted as API Gateway's gateway response types are, so
 * an owner's {@code x-amazon-apigateway-gateway-responses} overrides apply unchanged.
 */
public enum GatewayResponseType {
  MISSING_AUTHENTICATION_TOKEN(
      403,
      "Missing Authentication Token",
      "MissingAuthenticationTokenException",
      Outcome.MISSING_AUTHENTICATION_TOKEN),
  /** An authorizer found no identity, or one it does not accept. */
  UNAUTHORIZED(401, "Unauthorized", "UnauthorizedException", Outcome.FORBIDDEN),
  /** API Gateway's type for an expired AWS credential; owners may override it as any other. */
  EXPIRED_TOKEN(403, "Forbidden", "ForbiddenException", Outcome.FORBIDDEN),
  INVALID_API_KEY(403, "Forbidden", "ForbiddenException", Outcome.FORBIDDEN),
  ACCESS_DENIED(403, "Forbidden", "ForbiddenException", Outcome.FORBIDDEN),
  THROTTLED(429, "Too Many Requests", "TooManyRequestsException", Outcome.THROTTLED),
  QUOTA_EXCEEDED(429, "Limit Exceeded", "LimitExceededException", Outcome.QUOTA_EXCEEDED),
  BAD_REQUEST_PARAMETERS(400, "Bad Request", "BadRequestException", Outcome.BAD_REQUEST),
  BAD_REQUEST_BODY(400, "Invalid request body", "BadRequestException", Outcome.BAD_REQUEST),
  REQUEST_TOO_LARGE(413, "Request Too Large", "RequestTooLarge", Outcome.BAD_REQUEST),
  /**
   * A body whose Content-Type no request template takes, where the passthrough behaviour refuses.
   */
  UNSUPPORTED_MEDIA_TYPE(
      415, "Unsupported Media Type", "UnsupportedMediaTypeException", Outcome.BAD_REQUEST),
  URI_TOO_LONG(414, "Request-URI Too Long", "BadRequestException", Outcome.BAD_REQUEST),
  HEADERS_TOO_LARGE(
      431, "Request Header Fields Too Large", "BadRequestException", Outcome.BAD_REQUEST),
  INTEGRATION_TIMEOUT(
      504, "Endpoint request timed out", "IntegrationTimeout", Outcome.INTEGRATION_TIMEOUT),
  INTEGRATION_FAILURE(
      504,
      "Network error communicating with endpoint",
      "IntegrationFailure",
      Outcome.INTEGRATION_FAILURE),
  /**
   * A function's answer API Gateway cannot use (a function error, a malformed proxy response): 502,
   * counted under {@code DEFAULT_5XX} as API Gateway has no type of its own for it.
   */
  FUNCTION_FAILURE(
      502, "Internal server error", "InternalServerErrorException", Outcome.INTEGRATION_FAILURE),
  /** A Lambda-style authorizer failed, timed out or answered in a shape it cannot use. */
  AUTHORIZER_FAILURE(
      500,
      "Internal server error",
      "AuthorizerConfigurationException",
      Outcome.CONFIGURATION_ERROR),
  /** An authorizer the deployment names cannot work as configured. */
  AUTHORIZER_CONFIGURATION_ERROR(
      500,
      "Internal server error",
      "AuthorizerConfigurationException",
      Outcome.CONFIGURATION_ERROR),
  API_CONFIGURATION_ERROR(
      500, "Internal server error", "InternalServerErrorException", Outcome.CONFIGURATION_ERROR);

  private final int defaultStatus;
  private final String defaultMessage;
  private final String errorType;
  private final Outcome outcome;

  GatewayResponseType(int defaultStatus, String defaultMessage, String errorType, Outcome outcome) {
    this.defaultStatus = defaultStatus;
    this.defaultMessage = defaultMessage;
    this.errorType = errorType;
    this.outcome = outcome;
  }

  public int defaultStatus() {
    return defaultStatus;
  }

  public String defaultMessage() {
    return defaultMessage;
  }

  /** The value of the {@code x-amzn-ErrorType} header. */
  public String errorType() {
    return errorType;
  }

  public Outcome outcome() {
    return outcome;
  }
}
