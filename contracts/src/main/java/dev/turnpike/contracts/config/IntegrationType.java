package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How the gateway reaches the backend of a route. */
public enum IntegrationType {
  /** Streams the request to the backend and its response back, unchanged but for proxy headers. */
  @JsonProperty("http_proxy")
  HTTP_PROXY,
  /** Builds the backend request from parameter mappings. */
  @JsonProperty("http")
  HTTP,
  /** Answers with a fixed response, no backend. */
  @JsonProperty("mock")
  MOCK,
  /**
   * Invokes a function through Lambda's Invoke API with API Gateway's proxy event; the target is
   * {@link IntegrationConfig#function()}.
   */
  @JsonProperty("aws_proxy")
  AWS_PROXY,
  /**
   * Invokes a function through Lambda's Invoke API with the payload the request template makes (the
   * body as it is without one); the integration responses shape its result, a function error
   * selected by its {@code errorMessage}. The target is {@link IntegrationConfig#function()}.
   */
  @JsonProperty("aws")
  AWS,
  /** A type this reader does not know; the gateway answers such a route with a config error. */
  @JsonEnumDefaultValue
  @JsonProperty("unknown")
  UNKNOWN
}
