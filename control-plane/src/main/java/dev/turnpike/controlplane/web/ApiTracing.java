package dev.turnpike.controlplane.web;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A SERVER span per management API request, named by its route template ({@code PUT
 * /v1/tenants/{tenantId}/apis/{apiId}}) as OpenTelemetry's HTTP convention names server spans, and
 * continuing a caller's W3C {@code traceparent} (the caller's sampled flag is followed: the
 * provider's sampler is parent-based). A 5xx marks the span as an error; a 4xx is the caller's.
 * Mounted only when the operator configured a collector, so tracing off costs nothing.
 */
public final class ApiTracing {
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("turnpike.tenant_id");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("turnpike.request_id");

  /** The request's span in the routing context, for work done on its behalf. */
  static final String SPAN = "turnpike.span";

  private static final TextMapGetter<HttpServerRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public String get(HttpServerRequest request, String key) {
          return request == null ? null : request.getHeader(key);
        }
      };

  private final Tracer tracer;
  private volatile List<Template> templates;

  public ApiTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** The span of the request {@code ctx} serves, or null when it is not traced. */
  public static Span spanOf(RoutingContext ctx) {
    return ctx.get(SPAN);
  }

  void mount(Router router) {
    router.route().handler(ctx -> start(ctx, router));
  }

  private void start(RoutingContext ctx, Router router) {
    HttpServerRequest request = ctx.request();
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS);
    String method = request.method().name();
    Span span =
        tracer
            .spanBuilder(method)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HTTP_METHOD, method)
            .setAttribute(URL_PATH, request.path())
            .startSpan();
    ctx.put(SPAN, span);
    // Vert.x reports a connection closed after the answer (or an h2c upgrade that moved the
    // answer to HTTP/2) as a failed end; whether the response ended is what counts.
    ctx.addEndHandler(done -> end(ctx, router, ctx.response().ended()));
    ctx.next();
  }

  private void end(RoutingContext ctx, Router router, boolean sent) {
    // Vert.x calls end handlers at the response's end and again when the connection closes.
    Span span = ctx.remove(SPAN);
    if (span == null) {
      return;
    }
    int status = ctx.response().getStatusCode();
    String route = route(ctx, router);
    if (route != null) {
      span.updateName(ctx.request().method().name() + " " + route);
      span.setAttribute(HTTP_ROUTE, route);
    }
    span.setAttribute(HTTP_STATUS, (long) status);
    String requestId = RequestIds.of(ctx);
    if (requestId != null) {
      span.setAttribute(REQUEST_ID, requestId);
    }
    String tenant = RequestIds.wellFormedUuid(ctx.pathParam("tenantId"));
    if (tenant != null) {
      span.setAttribute(TENANT_ID, tenant);
    }
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
    } else if (!sent) {
      span.setStatus(StatusCode.ERROR, "the response was not completed");
    }
    span.end();
  }

  /**
   * The template of the route that answered: the endpoint's own route when it answered, else (a
   * failure answered by the failure handler) the first endpoint route whose method and path match,
   * in the router's order; null when none does (a 404).
   */
  private String route(RoutingContext ctx, Router router) {
    Route current = ctx.currentRoute();
    if (current != null && isEndpoint(current)) {
      return template(current.getPath());
    }
    String method = ctx.request().method().name();
    String path = ctx.normalizedPath();
    for (Template template : templates(router)) {
      if (template.methods().contains(method) && template.pattern().matcher(path).matches()) {
        return template.text();
      }
    }
    return null;
  }

  private List<Template> templates(Router router) {
    List<Template> known = templates;
    if (known == null) {
      // The routes are all mounted before the server listens; read once, at the first failure.
      List<Template> built = new ArrayList<>();
      for (Route route : router.getRoutes()) {
        if (isEndpoint(route)) {
          built.add(
              new Template(
                  template(route.getPath()),
                  route.methods().stream().map(m -> m.name()).toList(),
                  pattern(route.getPath())));
        }
      }
      known = List.copyOf(built);
      templates = known;
    }
    return known;
  }

  private static boolean isEndpoint(Route route) {
    // A path with parameters is a regex route inside Vert.x; one made from a regex has no path.
    return route.getPath() != null
        && !route.getPath().endsWith("*")
        && route.methods() != null
        && !route.methods().isEmpty();
  }

  private static String template(String vertxPath) {
    return vertxPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
  }

  /** A route's path as a pattern: each {@code :param} segment stands for any one segment. */
  private static Pattern pattern(String vertxPath) {
    StringBuilder regex = new StringBuilder();
    for (String segment : vertxPath.split("/", -1)) {
      if (!regex.isEmpty() || !segment.isEmpty()) {
        regex.append('/');
      }
      regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex + "/?");
  }

  private record Template(String text, List<String> methods, Pattern pattern) {}
}
