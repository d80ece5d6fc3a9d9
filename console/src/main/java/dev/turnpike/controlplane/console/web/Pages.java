package dev.turnpike.controlplane.console.web;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tenant.Tenants;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.webkit.Blocking;
import dev.turnpike.webkit.CsrfGuard;
import dev.turnpike.webkit.SessionPolicy;
import dev.turnpike.webkit.page.PageTemplates;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs console handlers the way the management API runs its endpoints: the use case off the event
 * loop, in a tenant-scoped transaction with the same membership and role checks, then renders the
 * answer with Thymeleaf (which escapes everything a template prints with {@code th:text}).
 */
public final class Pages {
  private static final Logger LOG = LoggerFactory.getLogger(Pages.class);

  private final Blocking blocking;
  private final TenantTransactor transactor;
  private final Tenants tenants;
  private static final Formats FORMATS = new Formats();
  private final PageTemplates pages;

  public Pages(Blocking blocking, TenantTransactor transactor, Tenants tenants) {
    this.blocking = blocking;
    this.transactor = transactor;
    this.tenants = tenants;
    this.pages = new PageTemplates(Pages.class.getClassLoader(), "console/templates/", true);
  }

  public TenantTransactor transactor() {
    return transactor;
  }

  /** Runs {@code work} off the event loop and answers with its view. */
  public void show(RoutingContext ctx, Callable<View> work) {
    Caller caller = ConsoleSession.caller(ctx);
    String csrf = CsrfGuard.token(ctx.session());
    String flash = ConsoleSession.flash(ctx);
    blocking
        .run(
            ctx.vertx().getOrCreateContext(),
            () -> {
              View view = work.call();
              return view.isRedirect() ? view : rendered(view, caller, csrf, flash);
            })
        .onSuccess(
            view -> {
              if (view.isRedirect()) {
                if (view.flash() != null) {
                  ConsoleSession.flash(ctx, view.flash());
                }
              } else {
                ConsoleSession.flashShown(ctx, flash);
              }
              send(ctx, view);
            })
        .onFailure(ctx::fail);
  }

  /** Runs {@code work} in the tenant of the {@code :tenantId} path parameter. */
  public void inTenant(RoutingContext ctx, Access access, Function<TenantTx, View> work) {
    Caller caller = requireCaller(ctx);
    UUID tenantId = tenantId(ctx);
    show(ctx, () -> transactor.inTenant(caller, tenantId, access, tx -> withTenant(tx, work)));
  }

  /**
   * Runs a form's action in one write transaction. When the use case rejects the input, the
   * transaction rolls back and the form is shown again, in a read transaction, with the messages
   * beside its fields and the values as they were sent.
   */
  public void submit(
      RoutingContext ctx, Function<TenantTx, View> action, BiFunction<TenantTx, Form, View> again) {
    submit(ctx, Access.WRITE, action, again);
  }

  /** As {@link #submit(RoutingContext, Function, BiFunction)}, for actions that need more. */
  public void submit(
      RoutingContext ctx,
      Access access,
      Function<TenantTx, View> action,
      BiFunction<TenantTx, Form, View> again) {
    Caller caller = requireCaller(ctx);
    UUID tenantId = tenantId(ctx);
    Form form = Form.of(ctx.request().formAttributes());
    show(
        ctx,
        () -> {
          try {
            return transactor.inTenant(caller, tenantId, access, tx -> withTenant(tx, action));
          } catch (ApiFailure failure) {
            if (!correctable(failure.kind())) {
              throw failure;
            }
            form.failed(failure);
            return transactor
                .inTenant(
                    caller, tenantId, Access.READ, tx -> withTenant(tx, t -> again.apply(t, form)))
                .status(failure.kind().status());
          }
        });
  }

  /** Failures the person can correct in the form they sent. */
  private static boolean correctable(ProblemKind kind) {
    return kind == ProblemKind.VALIDATION_FAILED
        || kind == ProblemKind.LIMIT_EXCEEDED
        || kind == ProblemKind.PAYLOAD_TOO_LARGE
        || kind == ProblemKind.CONFLICT
        || kind == ProblemKind.DEPLOYMENT_TOO_LARGE
        || kind == ProblemKind.FUNCTIONS_NOT_REGISTERED
        || kind == ProblemKind.MALFORMED_JSON
        || kind == ProblemKind.UNSUPPORTED_MEDIA_TYPE;
  }

  /**
   * {@code work}'s view with the tenant the layout shows, for handlers that run their own steps.
   */
  public View withTenant(TenantTx tx, Function<TenantTx, View> work) {
    View view = work.apply(tx);
    if (!view.isRedirect()) {
      view.with("tenant", tenants.current(tx)).with("base", "/console/t/" + tx.tenantId());
    }
    return view;
  }

  public static Caller requireCaller(RoutingContext ctx) {
    Caller caller = ConsoleSession.caller(ctx);
    if (caller == null) {
      throw new SignInRequired();
    }
    return caller;
  }

  private static UUID tenantId(RoutingContext ctx) {
    return id(ctx, "tenantId", "Organization");
  }

  /** A path parameter naming a resource; one that is not a UUID names nothing there is. */
  public static UUID id(RoutingContext ctx, String param, String what) {
    String value = ctx.pathParam(param);
    try {
      UUID id = UUID.fromString(value);
      if (id.toString().equalsIgnoreCase(value)) {
        return id;
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // answered below
    }
    throw ApiFailure.notFound(what + " " + value);
  }

  /** Renders a view into its HTML body. */
  public View rendered(View view, Caller caller, String csrf) {
    return rendered(view, caller, csrf, null);
  }

  private View rendered(View view, Caller caller, String csrf, String flash) {
    Map<String, Object> model = new HashMap<>();
    model.put("flash", flash);
    model.putAll(view.model());
    model.put("user", caller);
    model.put("csrf", csrf);
    model.put("csrfField", CsrfGuard.FIELD);
    model.put("fmt", FORMATS);
    String html = pages.render(view.template(), model);
    return new View(null, Map.of("html", html), view.status(), null);
  }

  /** Renders a status page without a session (failures, the not-configured notice). */
  public String statusPage(int status, String title, String message, Caller caller, String csrf) {
    View view =
        View.page("status").with("status", status).with("heading", title).with("message", message);
    return (String) rendered(view, caller, csrf).model().get("html");
  }

  /**
   * Answers once the session is stored: the next request, a redirect's above all, may reach another
   * instance, which must see the flash message or CSRF token this one just set.
   */
  static void send(RoutingContext ctx, View view) {
    ctx.response().setStatusCode(view.isRedirect() ? 303 : view.status());
    SessionPolicy.save(ctx)
        .onComplete(
            saved -> {
              if (saved.failed()) {
                LOG.warn("the console session was not stored: {}", saved.cause().getMessage());
              }
              if (view.isRedirect()) {
                ctx.response().putHeader("Location", view.redirect()).end();
              } else {
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .end((String) view.model().get("html"));
              }
            });
  }

  /** A page that needs a signed-in person was asked for without one. */
  public static final class SignInRequired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignInRequired() {
      super("sign-in required", null, false, false);
    }
  }
}
