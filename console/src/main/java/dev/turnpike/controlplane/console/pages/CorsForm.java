package dev.turnpike.controlplane.console.pages;

import dev.turnpike.contracts.config.CorsConfiguration;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The CORS form on the API's page. It saves through the same use case as the management API's PUT
 * (the API's other settings as they are), so the rules and their messages are the same; a form left
 * empty removes the API's CORS configuration.
 */
final class CorsForm {
  static final String SLOT = "cors";
  static final Set<String> FIELDS =
      Set.of("/corsConfiguration/maxAge", "/corsConfiguration/allowCredentials");

  private final Pages pages;
  private final UseCases u;
  private final ApiDetail detail;

  CorsForm(Pages pages, UseCases u, ApiDetail detail) {
    this.pages = pages;
    this.u = u;
    this.detail = detail;
  }

  void mount(Router router) {
    router.post(ApiPages.API + "/cors").handler(this::save);
  }

  /** The form showing what the API has now. */
  static Form of(CorsConfiguration cors) {
    Form form = Form.empty();
    if (cors != null) {
      form.set("allowOrigins", String.join(", ", cors.allowOrigins()))
          .set("allowMethods", String.join(", ", cors.allowMethods()))
          .set("allowHeaders", String.join(", ", cors.allowHeaders()))
          .set("exposeHeaders", String.join(", ", cors.exposeHeaders()))
          .set("maxAge", cors.maxAgeSeconds() == null ? null : cors.maxAgeSeconds().toString())
          .set("allowCredentials", cors.allowCredentials() ? "on" : null);
    }
    return form.placing(FIELDS);
  }

  private void save(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          CorsConfiguration cors = read(in);
          in.throwIfInvalid();
          var before = u.apis().get(tx, apiId);
          u.apis().update(tx, apiId, Apis.UpdateApi.of(before).withCors(cors));
          return View.redirect(ApiPages.apiPath(tx, apiId) + "#cors");
        },
        (tx, form) -> detail.view(tx, apiId, SLOT, form));
  }

  /** Null when every field is empty: the API then has no CORS. */
  static CorsConfiguration read(FormInput in) {
    List<String> origins = list(in.text("allowOrigins"));
    List<String> methods = list(in.text("allowMethods"));
    List<String> headers = list(in.text("allowHeaders"));
    List<String> expose = list(in.text("exposeHeaders"));
    Integer maxAge = in.integer("maxAge", "/corsConfiguration/maxAge");
    boolean credentials = in.checked("allowCredentials");
    if (origins.isEmpty()
        && methods.isEmpty()
        && headers.isEmpty()
        && expose.isEmpty()
        && maxAge == null
        && !credentials
        && in.text("maxAge") == null) {
      return null;
    }
    return new CorsConfiguration(origins, methods, headers, expose, maxAge, credentials);
  }

  /** Entries separated by commas, spaces or lines, as people paste them. */
  private static List<String> list(String text) {
    return text == null
        ? List.of()
        : Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
  }
}
