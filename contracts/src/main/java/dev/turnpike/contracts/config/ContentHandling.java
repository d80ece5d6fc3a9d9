package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a body changes between text and binary on its way through an integration, as API Gateway's
 * {@code contentHandling}; absent (null) passes the body as it is (text stays text, a binary media
 * type stays binary).
 */
public enum ContentHandling {
  /** A binary body becomes its base64 text. */
  @JsonProperty("CONVERT_TO_TEXT")
  CONVERT_TO_TEXT,
  /** A text body is read as base64 and becomes the bytes it encodes. */
  @JsonProperty("CONVERT_TO_BINARY")
  CONVERT_TO_BINARY
}
