package dev.turnpike.contracts.config;

import java.util.Map;

/** The fixed response of a mock integration. */
public record MockResponse(int statusCode, Map<String, String> headers, String body) {
  public MockResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? "" : body;
  }
}
