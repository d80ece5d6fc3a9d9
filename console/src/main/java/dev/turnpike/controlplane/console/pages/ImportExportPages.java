package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.openapi.DocumentCodec;
import dev.turnpike.controlplane.openapi.OpenApiExport;
import dev.turnpike.controlplane.openapi.OpenApiImport;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Importing an OpenAPI document into an API (pasted or uploaded; every problem is listed with its
 * JSON pointer into the document) and exporting the API's definition as one.
 */
public final class ImportExportPages {
  /** The import form's action, under the console. */
  public static final String IMPORT = ApiPages.API + "/import";

  private final Pages pages;
  private final UseCases u;
  private final Blocking blocking;
  private final OpenApiImport importer;
  private final OpenApiExport exporter;

  public ImportExportPages(
      Pages pages, UseCases u, Blocking blocking, OpenApiImport importer, OpenApiExport exporter) {
    this.pages = pages;
    this.u = u;
    this.blocking = blocking;
    this.importer = importer;
    this.exporter = exporter;
  }

  public void mount(Router router) {
    router
        .get(ApiPages.API + "/import")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(
                  ctx, READ, tx -> form(tx, apiId, Form.empty().set("mode", "overwrite")));
            });
    router.post(IMPORT).handler(this::importDocument);
    router
        .get(ApiPages.API + "/openapi.json")
        .handler(ctx -> export(ctx, DocumentCodec.Format.JSON));
    router
        .get(ApiPages.API + "/openapi.yaml")
        .handler(ctx -> export(ctx, DocumentCodec.Format.YAML));
  }

  private View form(TenantTx tx, UUID apiId, Form form) {
    return View.page("import")
        .with("nav", "apis")
        .with("api", u.apis().get(tx, apiId))
        .with("form", form);
  }

  private void importDocument(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    FileUpload upload =
        ctx.fileUploads().stream().filter(f -> f.size() > 0).findFirst().orElse(null);
    String pasted = in.text("document");
    String modeText = in.text("mode");
    pages.submit(
        ctx,
        tx -> {
          byte[] document = document(upload, pasted);
          OpenApiImport.Output output =
              importer.execute(
                  tx,
                  apiId,
                  new OpenApiImport.Input(
                      document, contentType(document), OpenApiImport.Mode.parse(modeText)));
          return View.page("import-done")
              .with("nav", "apis")
              .with("api", u.apis().get(tx, apiId))
              .with("output", output);
        },
        (tx, form) -> form(tx, apiId, form));
  }

  private static byte[] document(FileUpload upload, String pasted) {
    if (upload != null) {
      try {
        return Files.readAllBytes(Path.of(upload.uploadedFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the uploaded document", e);
      }
    }
    if (pasted == null) {
      throw ApiFailure.invalid("/document", "Paste a document or choose a file");
    }
    return pasted.getBytes(StandardCharsets.UTF_8);
  }

  /** JSON when the document starts like JSON; YAML otherwise (YAML also reads most JSON). */
  private static String contentType(byte[] document) {
    String start = new String(document, 0, Math.min(document.length, 64), StandardCharsets.UTF_8);
    return start.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
  }

  private void export(RoutingContext ctx, DocumentCodec.Format format) {
    Caller caller = Pages.requireCaller(ctx);
    UUID tenantId = Pages.id(ctx, "tenantId", "Organization");
    UUID apiId = ApiPages.apiId(ctx);
    blocking
        .run(
            ctx.vertx().getOrCreateContext(),
            () ->
                pages
                    .transactor()
                    .inTenant(
                        caller,
                        tenantId,
                        READ,
                        tx -> DocumentCodec.write(exporter.execute(tx, apiId), format)))
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader("Content-Type", format.mediaType() + "; charset=utf-8")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"openapi."
                            + (format == DocumentCodec.Format.JSON ? "json" : "yaml")
                            + "\"")
                    .end(Buffer.buffer(bytes)))
        .onFailure(ctx::fail);
  }
}
