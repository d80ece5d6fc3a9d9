package dev.turnpike.gateway.integration;

import dev.turnpike.contracts.config.IntegrationConfig;
import dev.turnpike.gateway.integration.impl.Backend;
import dev.turnpike.gateway.integration.impl.HttpIntegration;
import dev.turnpike.gateway.integration.impl.HttpProxyIntegration;
import dev.turnpike.gateway.integration.impl.MockIntegration;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;

/** Builds a route's integration from its config, once per deployment. */
public final class IntegrationFactory {
  /** API Gateway's limits on {@code timeoutInMillis}. */
  static final int MIN_TIMEOUT_MILLIS = 50;

  static final int MAX_TIMEOUT_MILLIS = 29_000;

  private final UpstreamClients upstreams;
  private final EgressGuard egress;

  public IntegrationFactory(UpstreamClients upstreams, EgressGuard egress) {
    this.upstreams = upstreams;
    this.egress = egress;
  }

  /**
   * @throws IllegalArgumentException with a message an owner can act on, for a config the gateway
   *     cannot serve
   */
  public Integration build(IntegrationOwner owner, IntegrationConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("the route has no integration");
    }
    return switch (config.type()) {
      case MOCK -> new MockIntegration(config.mock());
      case HTTP_PROXY -> new HttpProxyIntegration(backend(owner, config));
      case HTTP -> new HttpIntegration(backend(owner, config));
      // Function invocation is the gateway half of issue 14 (branch functions); until it lands a
      // route with a function answers as an unsupported integration.
      case AWS_PROXY, UNKNOWN -> throw new IllegalArgumentException("unsupported integration type");
    };
  }

  private Backend backend(IntegrationOwner owner, IntegrationConfig config) {
    return Backend.of(
        upstreams.forTenant(owner.tenantId()),
        egress,
        owner,
        uri(config),
        method(config.httpMethod()),
        ParameterMapping.parse(config.requestParameters()),
        timeout(config.connectTimeoutMillis(), 10_000),
        timeout(config.timeoutMillis(), MAX_TIMEOUT_MILLIS));
  }

  private static UriTemplate uri(IntegrationConfig config) {
    if (config.uri() == null || config.uri().isBlank()) {
      throw new IllegalArgumentException("an " + config.type() + " integration needs a uri");
    }
    String lower = config.uri().toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://") && !lower.startsWith("${")) {
      throw new IllegalArgumentException("integration uri must be http(s): " + config.uri());
    }
    return UriTemplate.parse(config.uri());
  }

  /** Null (use the client's method) for ANY or unset. */
  private static HttpMethod method(String name) {
    if (name == null || name.isBlank() || name.equalsIgnoreCase("ANY")) {
      return null;
    }
    return HttpMethod.valueOf(name.toUpperCase(Locale.ROOT));
  }

  private static long timeout(int configured, int fallback) {
    if (configured <= 0) {
      return fallback;
    }
    return Math.clamp(configured, MIN_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
  }
}
