package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a key-required method finds the caller's API key, as API Gateway's {@code apiKeySource}:
 * the {@code x-api-key} header, or the {@code usageIdentifierKey} a Lambda authorizer returns.
 */
public enum ApiKeySource {
  @JsonProperty("HEADER")
  HEADER,
  @JsonProperty("AUTHORIZER")
  AUTHORIZER
}
