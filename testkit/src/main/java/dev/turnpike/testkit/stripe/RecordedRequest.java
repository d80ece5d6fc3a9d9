package dev.turnpike.testkit.stripe;

import java.util.Map;

/**
 * One API request the fake Stripe received.
 *
 * @param params the form parameters exactly as stripe-java encoded them, in order ({@code
 *     metadata[tenant_id]}, {@code line_items[0][price]}, ...)
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 */
public record RecordedRequest(
    String method,
    String path,
    Map<String, String> params,
    String idempotencyKey,
    String authorization,
    int status) {
  public String param(String name) {
    return params.get(name);
  }
}
