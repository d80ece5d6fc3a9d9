package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;
import static dev.turnpike.controlplane.tenant.Access.WRITE;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.authorizer.Authorizer;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.deployment.Stage;
import dev.turnpike.controlplane.json.Json;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.JsonBodies;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.controlplane.websocket.WebSocketApi;
import dev.turnpike.controlplane.websocket.WebSocketRouteSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An API's WebSocket definition (issue 19): its route selection expression and routes edited row by
 * row, or stated at once as Turnpike's WebSocket export (the JSON {@code GET .../websocket}
 * answers); saving either makes an HTTP API a WebSocket API. Both go through the use case of {@code
 * PUT .../websocket}, so its rules and messages are the page's, and a refused save changes nothing.
 * Making the API an HTTP API again ({@code DELETE}) asks first, as deleting does.
 */
public final class WebSocketPages {
  static final String PAGE = ApiPages.API + "/websocket";
  private static final String DEFINITION = "definition";
  private static final String IMPORT = "import";

  private final Pages pages;
  private final UseCases u;
  private final GatewayAddresses gateway;

  public WebSocketPages(Pages pages, UseCases u, GatewayAddresses gateway) {
    this.pages = pages;
    this.u = u;
    this.gateway = gateway;
  }

  /** An authorizer a row may choose, by id; one a definition names that is gone is kept too. */
  public record Choice(String value, String label) {}

  /** A stage of the API with where WebSocket clients reach it. */
  public record StageAddress(String stage, boolean deployed, GatewayAddresses.WebSocket address) {}

  public void mount(Router router) {
    router
        .get(PAGE)
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(ctx, READ, tx -> page(tx, apiId, null, null));
            });
    router.post(PAGE).handler(this::save);
    router.post(PAGE + "/import").handler(this::importJson);
    router
        .get(PAGE + "/delete")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              pages.inTenant(ctx, READ, tx -> confirmation(tx, apiId));
            });
    router.post(PAGE + "/delete").handler(this::delete);
  }

  /** The page with {@code sent} in the form it came from ({@code slot}); null: both as stored. */
  private View page(TenantTx tx, UUID apiId, String slot, Form sent) {
    Api api = u.apis().get(tx, apiId);
    WebSocketApi current = u.webSocketApis().find(tx, apiId).orElse(null);
    Form definition = DEFINITION.equals(slot) ? sent : WebSocketRouteRows.fill(current);
    Form json =
        IMPORT.equals(slot)
            ? sent
            : Form.empty().set("json", current == null ? "" : pretty(current));
    List<WebSocketRouteRows.Row> rows = WebSocketRouteRows.rows(definition);
    Set<String> placed = new HashSet<>(WebSocketRouteRows.pointers(rows));
    placed.add("/routeSelectionExpression");
    String tenantSlug = u.tenants().current(tx).slug();
    List<StageAddress> stages = new ArrayList<>();
    for (Stage stage : u.stages().list(tx, apiId)) {
      stages.add(
          new StageAddress(
              stage.name(),
              stage.deploymentId() != null,
              gateway.webSocket(tenantSlug, api.slug(), stage.name())));
    }
    return View.page("websocket")
        .with("nav", "apis")
        .with("api", api)
        .with("webSocket", current)
        .with("rows", rows)
        .with("types", WebSocketRouteRows.TYPES)
        .with("authorizers", authorizerChoices(tx, apiId, definition, rows))
        .with("functions", functionChoices(tx, definition, rows))
        .with("payloadFormatVersions", IntegrationEditPage.PAYLOAD_FORMAT_VERSIONS)
        .with("stages", stages)
        .with("definitionForm", definition.placing(placed))
        .with("jsonForm", json)
        .with("slot", slot == null ? "" : slot)
        .with("messages", new Messages());
  }

  private List<Choice> authorizerChoices(
      TenantTx tx, UUID apiId, Form form, List<WebSocketRouteRows.Row> rows) {
    List<Choice> choices = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Authorizer a : u.authorizers().list(tx, apiId)) {
      choices.add(new Choice(a.id().toString(), a.name() + " (" + a.spec().type() + ")"));
      known.add(a.id().toString());
    }
    for (String id : WebSocketRouteRows.values(form, rows, "authorizer")) {
      if (!known.contains(id)) {
        choices.add(new Choice(id, id + " (not an authorizer of this API)"));
      }
    }
    return choices;
  }

  private List<String> functionChoices(TenantTx tx, Form form, List<WebSocketRouteRows.Row> rows) {
    List<String> names = IntegrationEditPage.functionChoices(u, tx, null);
    for (String name : WebSocketRouteRows.values(form, rows, "function")) {
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private void save(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    WebSocketApi stated = WebSocketRouteRows.read(in);
    pages.submit(
        ctx,
        tx -> {
          in.throwIfInvalid();
          boolean before = u.webSocketApis().find(tx, apiId).isPresent();
          u.webSocketApis().put(tx, apiId, stated);
          return saved(tx, apiId, before);
        },
        (tx, form) -> page(tx, apiId, DEFINITION, form));
  }

  /** The export as pasted, read as strictly as {@code PUT .../websocket} reads its body. */
  private void importJson(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    String json = ctx.request().getFormAttribute("json");
    pages.submit(
        ctx,
        tx -> {
          WebSocketApi stated =
              JsonBodies.read(
                  Buffer.buffer(json == null ? "" : json.strip()),
                  "application/json",
                  WebSocketApi.class);
          boolean before = u.webSocketApis().find(tx, apiId).isPresent();
          u.webSocketApis().put(tx, apiId, stated);
          return saved(tx, apiId, before);
        },
        (tx, form) -> page(tx, apiId, IMPORT, form));
  }

  private View saved(TenantTx tx, UUID apiId, boolean wasWebSocket) {
    Api api = u.apis().get(tx, apiId);
    return View.redirect(
        ApiPages.apiPath(tx, apiId) + "/websocket",
        (wasWebSocket
                ? "The WebSocket routes of " + api.name() + " are saved."
                : api.name() + " is a WebSocket API now.")
            + " Deploy it to serve them.");
  }

  private View confirmation(TenantTx tx, UUID apiId) {
    Api api = u.apis().get(tx, apiId);
    WebSocketApi definition = u.webSocketApis().get(tx, apiId);
    List<String> lines = new ArrayList<>();
    int count = definition.routes().size();
    lines.add(
        "Its WebSocket definition is deleted: the route selection expression and "
            + count
            + (count == 1 ? " route" : " routes")
            + (count == 0
                ? ""
                : " ("
                    + definition.routes().stream()
                        .map(WebSocketRouteSpec::routeKey)
                        .collect(Collectors.joining(", "))
                    + ")")
            + ".");
    lines.add(
        "Its next deployment serves its "
            + u.routes().list(tx, apiId).size()
            + " HTTP routes; it needs at least one.");
    List<String> serving =
        u.stages().list(tx, apiId).stream()
            .filter(s -> s.deploymentId() != null)
            .map(Stage::name)
            .toList();
    lines.add(
        serving.isEmpty()
            ? "No stage serves it, so the gateway is not affected."
            : "Stages "
                + String.join(", ", serving)
                + " keep serving WebSocket clients as deployed until the API is deployed to them"
                + " again.");
    lines.add(
        "The audit log keeps the definition as it was; copy the export first to state it again"
            + " later.");
    String path = ApiPages.apiPath(tx, apiId) + "/websocket";
    return DeletePages.page(
        tx,
        new DeletePages.Confirmation(
            "apis",
            "Make " + api.name() + " an HTTP API again?",
            lines,
            null,
            path + "/delete",
            "Make it an HTTP API",
            path));
  }

  private void delete(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    pages.submit(
        ctx,
        WRITE,
        tx -> {
          Api api = u.apis().get(tx, apiId);
          u.webSocketApis().delete(tx, apiId);
          return View.redirect(ApiPages.apiPath(tx, apiId), api.name() + " is an HTTP API again.");
        },
        (tx, form) -> confirmation(tx, apiId).with("form", form));
  }

  /** The export as {@code GET .../websocket} answers it, indented to read and edit. */
  static String pretty(WebSocketApi api) {
    try {
      return Json.WRITER.writerWithDefaultPrettyPrinter().writeValueAsString(api);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the WebSocket export", e);
    }
  }

  /**
   * The contract words a problem as {@code "/routes/1/routeKey send is defined twice"}; beside its
   * field, or after its pointer in a list, the pointer is said once.
   */
  public static final class Messages {
    public String beside(Form form, String pointer) {
      return form.error(pointer).replace(pointer + " ", "");
    }

    public String of(FieldError error) {
      String message = error.message();
      return !error.pointer().isEmpty() && message.startsWith(error.pointer() + " ")
          ? message.substring(error.pointer().length() + 1)
          : message;
    }
  }
}
