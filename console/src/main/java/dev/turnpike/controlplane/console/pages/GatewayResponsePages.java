package dev.turnpike.controlplane.console.pages;

import static dev.turnpike.controlplane.tenant.Access.READ;

import dev.turnpike.contracts.config.GatewayResponseConfig;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis;
import dev.turnpike.controlplane.console.web.Form;
import dev.turnpike.controlplane.console.web.FormInput;
import dev.turnpike.controlplane.console.web.KeyedRows;
import dev.turnpike.controlplane.console.web.Pages;
import dev.turnpike.controlplane.console.web.View;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An API's gateway responses: the gateway's own answers (throttled, quota exceeded, missing
 * authentication token...) with the owner's override of status, headers and body per type, as
 * {@code x-amazon-apigateway-gateway-responses} sets them. They are part of the API definition, so
 * a change reaches the gateway with the next deployment.
 */
public final class GatewayResponsePages {
  /** API Gateway's default status of each type; the DEFAULT types cover a whole class. */
  static final Map<String, String> DEFAULT_STATUS = defaults();

  /** One type as the list shows it. */
  public record TypeRow(String type, String defaultStatus, GatewayResponseConfig override) {}

  private final Pages pages;
  private final UseCases u;

  public GatewayResponsePages(Pages pages, UseCases u) {
    this.pages = pages;
    this.u = u;
  }

  private static Map<String, String> defaults() {
    Map<String, String> statuses = new TreeMap<>();
    for (String type : Apis.GATEWAY_RESPONSE_TYPES) {
      statuses.put(type, "");
    }
    put(statuses, "400", "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS");
    put(statuses, "401", "UNAUTHORIZED");
    put(
        statuses,
        "403",
        "ACCESS_DENIED",
        "EXPIRED_TOKEN",
        "INVALID_API_KEY",
        "INVALID_SIGNATURE",
        "MISSING_AUTHENTICATION_TOKEN",
        "WAF_FILTERED");
    put(statuses, "404", "RESOURCE_NOT_FOUND");
    put(statuses, "413", "REQUEST_TOO_LARGE");
    put(statuses, "415", "UNSUPPORTED_MEDIA_TYPE");
    put(statuses, "429", "QUOTA_EXCEEDED", "THROTTLED");
    put(
        statuses,
        "500",
        "API_CONFIGURATION_ERROR",
        "AUTHORIZER_CONFIGURATION_ERROR",
        "AUTHORIZER_FAILURE");
    put(statuses, "504", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT");
    put(statuses, "every 4xx type without an override of its own", "DEFAULT_4XX");
    put(statuses, "every 5xx type without an override of its own", "DEFAULT_5XX");
    return Map.copyOf(statuses);
  }

  private static void put(Map<String, String> statuses, String status, String... types) {
    for (String type : types) {
      statuses.put(type, status);
    }
  }

  public void mount(Router router) {
    String list = ApiPages.API + "/gateway-responses";
    router.get(list).handler(ctx -> pages.inTenant(ctx, READ, tx -> list(tx, ApiPages.apiId(ctx))));
    router
        .get(list + "/:type")
        .handler(
            ctx -> {
              UUID apiId = ApiPages.apiId(ctx);
              String type = type(ctx);
              pages.inTenant(ctx, READ, tx -> form(tx, apiId, type, null));
            });
    router.post(list + "/:type").handler(this::save);
    router.post(list + "/:type/reset").handler(this::reset);
  }

  private static String type(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    if (!Apis.GATEWAY_RESPONSE_TYPES.contains(type)) {
      throw ApiFailure.notFound("Gateway response type " + type);
    }
    return type;
  }

  private static String listPath(TenantTx tx, UUID apiId) {
    return ApiPages.apiPath(tx, apiId) + "/gateway-responses";
  }

  private static KeyedRows headerRows(String type) {
    return new KeyedRows(
        "header",
        "name",
        "/gatewayResponses/" + type + "/headers",
        List.of("name", "value"),
        List.of());
  }

  private View list(TenantTx tx, UUID apiId) {
    Api api = u.apis().get(tx, apiId);
    List<TypeRow> rows =
        new TreeMap<>(DEFAULT_STATUS)
            .entrySet().stream()
                .map(
                    e ->
                        new TypeRow(
                            e.getKey(), e.getValue(), api.gatewayResponses().get(e.getKey())))
                .toList();
    return View.page("gateway-responses").with("nav", "apis").with("api", api).with("rows", rows);
  }

  private View form(TenantTx tx, UUID apiId, String type, Form sent) {
    Api api = u.apis().get(tx, apiId);
    GatewayResponseConfig override = api.gatewayResponses().get(type);
    KeyedRows headers = headerRows(type);
    Form form = sent;
    if (form == null) {
      form = Form.empty();
      if (override != null) {
        form.set(
                "statusCode",
                override.statusCode() == null ? "" : Integer.toString(override.statusCode()))
            .set("body", override.body());
        int i = 0;
        for (var header : new TreeMap<>(override.headers()).entrySet()) {
          form.set(headers.name(i, "name"), header.getKey())
              .set(headers.name(i, "value"), header.getValue());
          i++;
        }
      }
    }
    List<KeyedRows.Row> rows = headers.rows(form);
    String pointer = "/gatewayResponses/" + type;
    Set<String> placed = new HashSet<>(headers.pointers(rows));
    placed.add(pointer + "/statusCode");
    placed.add(pointer + "/body");
    return View.page("gateway-response")
        .with("nav", "apis")
        .with("api", api)
        .with("type", type)
        .with("defaultStatus", DEFAULT_STATUS.get(type))
        .with("override", override)
        .with("pointer", pointer)
        .with("headerRows", rows)
        .with("form", form.placing(placed));
  }

  private void save(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    String type = type(ctx);
    FormInput in = new FormInput(ctx.request().formAttributes());
    pages.submit(
        ctx,
        tx -> {
          String pointer = "/gatewayResponses/" + type;
          Integer status = in.integer("statusCode", pointer + "/statusCode");
          Map<String, String> headers = new LinkedHashMap<>();
          for (KeyedRows.Sent row : headerRows(type).read(in, "name the header")) {
            if (row.key() != null) {
              // A header with an empty value is sent empty, as API Gateway's '' literal is.
              String value = in.all(row.name("value")).stream().findFirst().orElse("");
              headers.put(row.key(), value.trim());
            }
          }
          String body = in.text("body");
          in.throwIfInvalid();
          GatewayResponseConfig override =
              status == null && headers.isEmpty() && body == null
                  ? null
                  : new GatewayResponseConfig(status, headers, body);
          replace(tx, apiId, type, override);
          return View.redirect(
              listPath(tx, apiId),
              override == null
                  ? type + " uses the gateway's default response again."
                  : type + " was saved; deploy the API for the gateway to answer with it.");
        },
        (tx, form) -> form(tx, apiId, type, form));
  }

  private void reset(RoutingContext ctx) {
    UUID apiId = ApiPages.apiId(ctx);
    String type = type(ctx);
    pages.submit(
        ctx,
        tx -> {
          replace(tx, apiId, type, null);
          return View.redirect(
              listPath(tx, apiId),
              type + " uses the gateway's default response again once the API is deployed.");
        },
        (tx, form) -> form(tx, apiId, type, form));
  }

  /** Saves the API with {@code type}'s override replaced; null removes it. */
  private void replace(TenantTx tx, UUID apiId, String type, GatewayResponseConfig override) {
    Api before = u.apis().get(tx, apiId);
    Map<String, GatewayResponseConfig> responses = new TreeMap<>(before.gatewayResponses());
    GatewayResponseConfig previous = responses.get(type);
    if (override == null) {
      responses.remove(type);
    } else if (previous != null) {
      // The form has no fields for parameter mappings and templates yet: saving it keeps them.
      responses.put(
          type,
          new GatewayResponseConfig(
              override.statusCode(),
              override.headers(),
              override.body(),
              previous.responseParameters(),
              previous.responseTemplates()));
    } else {
      responses.put(type, override);
    }
    u.apis().update(tx, apiId, Apis.UpdateApi.withResponses(before, responses));
  }
}
