package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How an authorizer decides who a caller is, named as API Gateway's authorizer types are. */
public enum AuthorizerType {
  /** HTTP API JWT authorizer: a bearer token checked against the issuer's published keys. */
  @JsonProperty("jwt")
  JWT,
  /** REST API Lambda authorizer fed one header's value (the token). */
  @JsonProperty("token")
  TOKEN,
  /** REST (or HTTP API) Lambda authorizer fed the identity sources it names and the request. */
  @JsonProperty("request")
  REQUEST,
  /** A type this reader does not know; the gateway refuses calls to routes that use it (500). */
  @JsonEnumDefaultValue
  @JsonProperty("unknown")
  UNKNOWN
}
