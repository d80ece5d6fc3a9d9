package dev.turnpike.controlplane.web;

import dev.turnpike.listener.ListenerGuard;
import dev.turnpike.listener.ListenerLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the management API and the console, with slow clients cut off and connections capped
 * ({@link ListenerLimits}). Deployment fails when the port cannot be bound.
 */
public final class ApiVerticle extends VerticleBase {
  private final ApiRouter routes;
  private final String host;
  private final int port;
  private final ListenerGuard guard;
  private final int maxFormAttributeBytes;
  private HttpServer server;
  private Router router;

  /**
   * @param maxFormAttributeBytes the largest form field: the console's import form carries a whole
   *     pasted OpenAPI document in one
   */
  public ApiVerticle(
      ApiRouter routes, String host, int port, ListenerLimits limits, int maxFormAttributeBytes) {
    this.routes = routes;
    this.host = host;
    this.port = port;
    this.guard = new ListenerGuard("control plane", limits);
    this.maxFormAttributeBytes = maxFormAttributeBytes;
  }

  @Override
  public Future<?> start() {
    router = routes.create(vertx);
    return guard
        .createServer(
            vertx,
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxFormAttributeSize(maxFormAttributeBytes))
        .requestHandler(router)
        .listen()
        .onSuccess(bound -> server = bound);
  }

  /** Every endpoint as {@code "METHOD /path/{param}"}, for the OpenAPI document's test. */
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(method -> endpoints.add(method.name() + " " + path));
    }
    return endpoints;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
