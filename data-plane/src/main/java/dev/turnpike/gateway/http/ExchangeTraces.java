package dev.turnpike.gateway.http;

import dev.turnpike.gateway.tracing.SpanAttributes;
import io.opentelemetry.api.trace.Span;

/** What the request's span learns once it is over: route, key prefix, outcome, status. */
final class ExchangeTraces {
  private ExchangeTraces() {}

  static void end(Exchange exchange, long endNanos) {
    Span root = exchange.trace.root();
    root.setAttribute(SpanAttributes.REQUEST_ID, exchange.requestIdText);
    root.setAttribute(SpanAttributes.OUTCOME, exchange.outcome.name());
    if (exchange.route != null) {
      root.updateName(exchange.route.routeKey());
      root.setAttribute(SpanAttributes.ROUTE_KEY, exchange.route.routeKey());
      root.setAttribute(SpanAttributes.HTTP_ROUTE, exchange.route.resourcePath());
    }
    String keyPrefix = exchange.keyPrefix();
    if (keyPrefix != null) {
      // The key's public prefix only: a span is read by whoever reads the collector.
      root.setAttribute(SpanAttributes.KEY_PREFIX, keyPrefix);
    }
    if (exchange.cacheStatus != null) {
      root.setAttribute(SpanAttributes.CACHE_STATUS, exchange.cacheStatus);
    }
    String principal = exchange.principalId();
    if (principal != null) {
      root.setAttribute(SpanAttributes.PRINCIPAL_ID, principal);
    }
    long integrationEnd =
        exchange.integrationStartNanos == 0
            ? endNanos
            : exchange.integrationStartNanos + exchange.integrationNanos;
    exchange.trace.end(exchange.status, integrationEnd, endNanos);
  }
}
