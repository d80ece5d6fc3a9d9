package dev.turnpike.controlplane.api;

import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Use cases of an API's integrations. */
public final class Integrations {
  public static final int MIN_TIMEOUT_MS = IntegrationTimeouts.MIN_MS;
  public static final int MAX_TIMEOUT_MS = IntegrationTimeouts.MAX_MS;
  private static final Pattern TARGET =
      Pattern.compile("^integration\\.request\\.(path|querystring|header)\\.[A-Za-z0-9_.-]+$");
  private static final Pattern SOURCE =
      Pattern.compile(
          "^(method\\.request\\.(path|querystring|header)\\.[A-Za-z0-9_.-]+"
              + "|'[^']*'"
              + "|context\\.[A-Za-z0-9_.]+"
              + "|stageVariables\\.[A-Za-z0-9_]+)$");

  public record MockInput(Integer statusCode, Map<String, String> headers, String body) {}

  public record IntegrationInput(
      String type,
      String httpMethod,
      String uri,
      Integer connectTimeoutMillis,
      Integer timeoutMillis,
      Map<String, String> requestParameters,
      MockInput mock) {}

  private final EgressTargets egress;
  private final OwnerLimits limits;
  private final TxStore<ApiStore> apiStore;

  public Integrations(TxStore<ApiStore> apiStore, EgressTargets egress, OwnerLimits limits) {
    this.apiStore = apiStore;
    this.egress = egress;
    this.limits = limits;
  }

  public Integration create(TenantTx tx, UUID apiId, IntegrationInput in) {
    // The resource must exist before its input is judged: 404 comes before 400.
    apiStore.in(tx).findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    validate(in, uri -> egress.problem(tx.tenantId(), uri));
    checkBody(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    limits.check(Limit.INTEGRATIONS_PER_API, store.countIntegrations(apiId) + 1L, null);
    Integration created = toIntegration(UUID.randomUUID(), apiId, in, tx);
    store.insertIntegration(created);
    tx.audit().record("integration.create", "integration", created.id(), null, created);
    return created;
  }

  public List<Integration> list(TenantTx tx, UUID apiId) {
    ApiStore store = apiStore.in(tx);
    store.findApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    return store.listIntegrations(apiId);
  }

  public Integration get(TenantTx tx, UUID apiId, UUID integrationId) {
    return apiStore
        .in(tx)
        .findIntegration(apiId, integrationId)
        .orElseThrow(() -> notFound(integrationId));
  }

  public Integration update(TenantTx tx, UUID apiId, UUID integrationId, IntegrationInput in) {
    get(
        tx,
        apiId,
        integrationId); // The resource must exist before its input is judged: 404 comes before 400.
    validate(in, uri -> egress.problem(tx.tenantId(), uri));
    checkBody(in);
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Integration before =
        store.findIntegration(apiId, integrationId).orElseThrow(() -> notFound(integrationId));
    Integration after = toIntegration(integrationId, apiId, in, tx);
    after =
        new Integration(
            after.id(),
            after.apiId(),
            after.type(),
            after.httpMethod(),
            after.uri(),
            after.connectTimeoutMillis(),
            after.timeoutMillis(),
            after.requestParameters(),
            after.mock(),
            before.createdAt());
    store.updateIntegration(after);
    tx.audit().record("integration.update", "integration", integrationId, before, after);
    return after;
  }

  public void delete(TenantTx tx, UUID apiId, UUID integrationId) {
    ApiStore store = apiStore.in(tx);
    store.lockApi(apiId).orElseThrow(() -> Apis.notFound(apiId));
    Integration before =
        store.findIntegration(apiId, integrationId).orElseThrow(() -> notFound(integrationId));
    List<Route> users = store.routesUsing(integrationId);
    if (!users.isEmpty()) {
      Route first = users.getFirst();
      throw ApiFailure.conflict(
          "The integration is used by "
              + users.size()
              + " route(s), e.g. "
              + first.method()
              + " "
              + first.resourcePath()
              + "; point them elsewhere first");
    }
    store.deleteIntegration(integrationId);
    tx.audit().record("integration.delete", "integration", integrationId, before, null);
  }

  private void checkBody(IntegrationInput in) {
    if (in.mock() != null && in.mock().body() != null) {
      limits.check(
          Limit.RESPONSE_BODY_BYTES,
          in.mock().body().getBytes(StandardCharsets.UTF_8).length,
          "/mock/body");
    }
  }

  static ApiFailure notFound(UUID integrationId) {
    return ApiFailure.notFound("Integration " + integrationId);
  }

  private static Integration toIntegration(UUID id, UUID apiId, IntegrationInput in, TenantTx tx) {
    boolean mock = in.type().equals("mock");
    return new Integration(
        id,
        apiId,
        in.type(),
        mock ? null : in.httpMethod(),
        mock ? null : in.uri(),
        in.connectTimeoutMillis() == null ? 10_000 : in.connectTimeoutMillis(),
        in.timeoutMillis() == null ? MAX_TIMEOUT_MS : in.timeoutMillis(),
        in.requestParameters() == null ? Map.of() : in.requestParameters(),
        mock
            ? new MockResponse(in.mock().statusCode(), in.mock().headers(), in.mock().body())
            : null,
        tx.now());
  }

  /**
   * @param targetProblem why the egress policy refuses a URI, or null
   */
  static void validate(IntegrationInput in, Function<String, String> targetProblem) {
    Validation v = new Validation();
    if (v.required("/type", in.type())) {
      v.check(
          "/type",
          in.type(),
          t -> Set.of("http", "http_proxy", "mock").contains(t),
          "must be http, http_proxy or mock (aws and aws_proxy have no target in Turnpike)");
    }
    v.range("/connectTimeoutMillis", in.connectTimeoutMillis(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    v.range("/timeoutMillis", in.timeoutMillis(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    if ("mock".equals(in.type())) {
      v.forbidden("/uri", in.uri(), "must be absent for a mock integration");
      v.forbidden("/httpMethod", in.httpMethod(), "must be absent for a mock integration");
      if (v.required("/mock", in.mock())) {
        if (v.required("/mock/statusCode", in.mock().statusCode())) {
          v.range("/mock/statusCode", in.mock().statusCode(), 100, 599);
        }
        HeaderRules.validate(v, "/mock/headers", in.mock().headers());
      }
    } else if (in.type() != null) {
      v.forbidden("/mock", in.mock(), "is only for a mock integration");
      if (v.required("/httpMethod", in.httpMethod())) {
        v.check(
            "/httpMethod", in.httpMethod(), HttpMethods.ROUTE_METHODS::contains, HttpMethods.RULE);
      }
      if (v.required("/uri", in.uri())) {
        String refused = targetProblem.apply(in.uri());
        if (refused != null) {
          v.add("/uri", refused);
        } else {
          v.check(
              "/uri",
              in.uri(),
              Integrations::isBackendUri,
              "must be an absolute http or https URL");
        }
      }
    }
    if (in.requestParameters() != null) {
      in.requestParameters()
          .forEach(
              (target, source) -> {
                String pointer =
                    "/requestParameters/" + target.replace("~", "~0").replace("/", "~1");
                if (!TARGET.matcher(target).matches()) {
                  v.add(
                      pointer, "must be named integration.request.{path|querystring|header}.NAME");
                } else if (source == null || !SOURCE.matcher(source).matches()) {
                  v.add(
                      pointer,
                      "must be method.request.{path|querystring|header}.NAME, a 'static' value,"
                          + " context.NAME or stageVariables.NAME");
                }
              });
    }
    v.throwIfInvalid();
  }

  private static boolean isBackendUri(String uri) {
    // Stage variables and path parameters are placeholders until the gateway fills them in.
    String probe =
        uri.replaceAll("\\$\\{stageVariables\\.[A-Za-z0-9_]+}", "x").replaceAll("\\{[^}/]+}", "x");
    try {
      URI parsed = new URI(probe);
      return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
          && parsed.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
