package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The {@code /v1} router: request ids, body limits, bearer authentication (all but the OpenAPI
 * document and the features' public routes), the features' endpoints, and problem+json for every
 * failure.
 */
public final class ApiRouter {
  public static final String OPENAPI_PATH = "/v1/openapi.json";

  private final JwksTokenVerifier verifier;
  private final SignIn signIn;
  private final Blocking blocking;
  private final List<Endpoints> endpoints;
  private final int maxBodyBytes;
  private final Buffer openApi;
  private final ApiTracing tracing;

  /**
   * @param tracing the span per request, null when the operator configured no collector
   */
  public ApiRouter(
      JwksTokenVerifier verifier,
      SignIn signIn,
      Blocking blocking,
      List<Endpoints> endpoints,
      int maxBodyBytes,
      ApiTracing tracing) {
    this.tracing = tracing;
    this.verifier = verifier;
    this.signIn = signIn;
    this.blocking = blocking;
    this.endpoints = List.copyOf(endpoints);
    this.maxBodyBytes = maxBodyBytes;
    this.openApi = loadOpenApi();
  }

  public Router create(Vertx vertx) {
    Router router = Router.router(vertx);
    FailureHandler failures = new FailureHandler();
    router.route().handler(RequestIds::assign);
    if (tracing != null) {
      tracing.mount(router);
    }
    router
        .get(OPENAPI_PATH)
        .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(openApi));
    for (Endpoints group : endpoints) {
      group.mountPublic(router);
    }
    for (Endpoints group : endpoints) {
      group.mountBodyHandlers(router);
    }
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
    router.route("/v1/*").handler(new AuthHandler(verifier, signIn, blocking));
    for (Endpoints group : endpoints) {
      group.mount(router);
    }
    router.route().failureHandler(failures);
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(413, failures);
    router.errorHandler(500, failures);
    return router;
  }

  private static Buffer loadOpenApi() {
    try (InputStream in = ApiRouter.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read openapi.json", e);
    }
  }
}
