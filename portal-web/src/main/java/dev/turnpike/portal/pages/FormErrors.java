package dev.turnpike.portal.pages;

import dev.turnpike.portal.api.ApiError;
import dev.turnpike.portal.web.Pages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A form the control plane refused (400, 409) goes back to its page with the reason; anything else
 * is an error page.
 */
final class FormErrors {
  private FormErrors() {}

  static void back(RoutingContext ctx, Throwable failure, String page) {
    if (failure instanceof ApiError error
        && (error.status() == 400 || error.status() == 409 || error.status() == 503)) {
      List<String> reasons = new ArrayList<>();
      for (Object field : error.fieldErrors()) {
        if (field instanceof JsonObject f) {
          reasons.add(label(f.getString("pointer")) + " " + f.getString("message"));
        }
      }
      String message =
          reasons.isEmpty() ? error.getMessage() : "Please check: " + String.join("; ", reasons);
      Pages.flash(ctx, "error", message);
      Pages.redirect(ctx, page);
      return;
    }
    ctx.fail(failure);
  }

  private static String label(String pointer) {
    if (pointer == null) {
      return "a field";
    }
    String name = pointer.replaceFirst("^/", "").replace('/', ' ');
    return name.isEmpty() ? "the form" : name;
  }
}
