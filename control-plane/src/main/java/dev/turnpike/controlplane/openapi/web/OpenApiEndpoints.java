package dev.turnpike.controlplane.openapi.web;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.openapi.DocumentCodec;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.openapi.OpenApiImport;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.Http;
import dev.turnpike.controlplane.web.Problems;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.UUID;

/** Import and export of an API's definition as an OpenAPI document. */
public final class OpenApiEndpoints implements Endpoints {
  static final String PATH = "/v1/tenants/:tenantId/apis/:apiId/openapi";

  private final Http http;
  private final OpenApiImport importer;
  private final OpenApiExport exporter;
  private final OwnerLimits limits;

  public OpenApiEndpoints(
      Http http, OpenApiImport importer, OpenApiExport exporter, OwnerLimits limits) {
    this.http = http;
    this.importer = importer;
    this.exporter = exporter;
    this.limits = limits;
  }

  /** A document may be larger than other request bodies, up to its own limit. */
  @Override
  public void mountBodyHandlers(Router router) {
    router
        .post(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(limits.max(Limit.IMPORT_DOCUMENT_BYTES)))
        .failureHandler(this::documentTooLarge);
  }

  /** The body handler's 413, as a problem naming the limit (and the declared size, if any). */
  private void documentTooLarge(RoutingContext ctx) {
    if (ctx.failure() != null || ctx.statusCode() != 413) {
      ctx.next();
      return;
    }
    long declared = -1;
    try {
      String length = ctx.request().getHeader("Content-Length");
      declared = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      // not known
    }
    Problems.send(
        ctx,
        limits.exceeded(
            Limit.IMPORT_DOCUMENT_BYTES, declared, null, ProblemKind.PAYLOAD_TOO_LARGE));
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).handler(this::importDocument);
    router.get(PATH).handler(this::exportDocument);
  }

  private void importDocument(RoutingContext ctx) {
    UUID apiId = http.id(ctx, "apiId", "API");
    String mode = query(ctx, "mode");
    Buffer body = ctx.body().buffer();
    byte[] document = body == null ? new byte[0] : body.getBytes();
    String contentType = ctx.request().getHeader("Content-Type");
    http.inTenant(
        ctx,
        WRITE,
        200,
        tx ->
            importer.execute(
                tx,
                apiId,
                new OpenApiImport.Input(document, contentType, OpenApiImport.Mode.parse(mode))));
  }

  private void exportDocument(RoutingContext ctx) {
    Caller caller = http.caller(ctx);
    UUID tenantId = http.id(ctx, "tenantId", "Tenant");
    UUID apiId = http.id(ctx, "apiId", "API");
    String format = query(ctx, "format");
    String stage = query(ctx, "stage");
    ctx.vertx()
        .executeBlocking(
            () ->
                http.transactor()
                    .inTenant(
                        caller,
                        tenantId,
                        READ,
                        tx -> {
                          // With a stage, what it serves (API Gateway's per-stage GetExport);
                          // without, the current definition.
                          var exported =
                              stage == null
                                  ? exporter.execute(tx, apiId)
                                  : exporter.stageNamed(tx, apiId, stage);
                          DocumentCodec.Format chosen = format(format);
                          return new Written(chosen, DocumentCodec.write(exported, chosen));
                        }),
            false)
        .onSuccess(
            written ->
                ctx.response()
                    .putHeader("Content-Type", written.format().mediaType())
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(written.bytes())))
        .onFailure(ctx::fail);
  }

  private record Written(DocumentCodec.Format format, byte[] bytes) {}

  private static DocumentCodec.Format format(String value) {
    if (value == null || value.equals("json")) {
      return DocumentCodec.Format.JSON;
    }
    if (value.equals("yaml")) {
      return DocumentCodec.Format.YAML;
    }
    throw ApiFailure.invalid("format", "must be json or yaml");
  }

  private static String query(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    return values.isEmpty() ? null : values.getFirst();
  }
}
