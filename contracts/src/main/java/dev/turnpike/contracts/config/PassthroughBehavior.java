package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an {@code http}, {@code mock} or {@code aws} integration does with a request body whose
 * Content-Type has no request template, as API Gateway's {@code passthroughBehavior}.
 */
public enum PassthroughBehavior {
  /** No template for the type: the body passes through unchanged. The default. */
  @JsonEnumDefaultValue
  @JsonProperty("when_no_match")
  WHEN_NO_MATCH,
  /**
   * The integration has no templates at all: the body passes through; it has some, but none for
   * this type: 415 Unsupported Media Type.
   */
  @JsonProperty("when_no_templates")
  WHEN_NO_TEMPLATES,
  /** No template for the type: 415 Unsupported Media Type, templates or not. */
  @JsonProperty("never")
  NEVER
}
