package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.contracts.config.PassthroughBehavior;
import dev.turnpike.controlplane.api.Api;
import dev.turnpike.controlplane.api.Apis.CreateApi;
import dev.turnpike.controlplane.api.Integration;
import dev.turnpike.controlplane.api.Integrations.IntegrationInput;
import dev.turnpike.controlplane.api.Integrations.IntegrationResponseInput;
import dev.turnpike.controlplane.api.Integrations.MockInput;
import dev.turnpike.controlplane.api.Route;
import dev.turnpike.controlplane.api.Routes.RouteInput;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.tenant.Access;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of APIs, routes and integrations, on in-memory stores. */
class ApiUseCasesTest {
  private final Tenancy t = new Tenancy();

  private static CreateApi api(String slug) {
    return new CreateApi(slug, "Pets " + slug, null, null, null, null);
  }

  private Integration mock(UUID apiId) {
    return t.write(
        tx ->
            t.u
                .integrations()
                .create(
                    tx,
                    apiId,
                    new IntegrationInput(
                        "mock", null, null, null, null, null, new MockInput(200, null, "{}"))));
  }

  @Nested
  class Apis {
    @Test
    void creates_an_api_with_the_default_key_source_and_audits_it() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));

      assertThat(api.apiKeySource()).isEqualTo("HEADER");
      assertThat(t.list(tx -> t.u.apis().list(tx))).containsExactly(api);
      assertThat(t.cp.audit(t.tenant))
          .extracting(e -> e.action())
          .containsExactly("tenant.create", "api.create");
    }

    @Test
    void rejects_an_invalid_slug_naming_the_field_and_keeps_nothing() {
      ApiFailure failure = t.failure(tx -> t.u.apis().create(tx, api("Not A Slug")));

      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(failure.errors()).extracting(FieldError::pointer).containsExactly("/slug");
      assertThat(t.list(tx -> t.u.apis().list(tx))).isEmpty();
      assertThat(t.cp.audit(t.tenant)).hasSize(1);
    }

    @Test
    void refuses_a_second_api_with_the_same_slug() {
      t.write(tx -> t.u.apis().create(tx, api("pets")));

      ApiFailure failure = t.failure(tx -> t.u.apis().create(tx, api("pets")));

      assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(failure.detail()).contains("'pets'");
    }

    @Test
    void refuses_an_api_over_the_tenants_limit() {
      Tenancy small = new Tenancy(Map.of("TURNPIKE_CP_LIMIT_APIS_PER_TENANT", "1"));
      small.write(tx -> small.u.apis().create(tx, api("one")));

      ApiFailure failure = small.failure(tx -> small.u.apis().create(tx, api("two")));

      assertThat(failure.kind()).isEqualTo(ProblemKind.LIMIT_EXCEEDED);
      assertThat(small.list(tx -> small.u.apis().list(tx))).hasSize(1);
    }

    @Test
    void another_tenant_neither_sees_nor_reaches_the_api() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Caller stranger = t.cp.user("stranger@example.com");
      UUID theirs = t.cp.tenant(stranger, "other");

      List<Api> seen = t.cp.inTenant(stranger, theirs, Access.READ, tx -> t.u.apis().list(tx));
      assertThat(seen).isEmpty();
      assertThatThrownBy(
              () ->
                  t.cp.inTenant(stranger, theirs, Access.READ, tx -> t.u.apis().get(tx, api.id())))
          .isInstanceOf(ApiFailure.class)
          .extracting(e -> ((ApiFailure) e).kind())
          .isEqualTo(ProblemKind.NOT_FOUND);
      // Not a member: the owner's tenant does not exist for them.
      assertThatThrownBy(
              () -> t.cp.inTenant(stranger, t.tenant, Access.READ, tx -> t.u.apis().list(tx)))
          .isInstanceOf(ApiFailure.class)
          .hasMessageContaining("Tenant " + t.tenant);
    }

    @Test
    void deleting_an_api_takes_its_routes_and_integrations_with_it() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Integration integration = mock(api.id());
      t.write(
          tx ->
              t.u
                  .routes()
                  .create(tx, api.id(), new RouteInput("GET", "/pets", false, integration.id())));

      t.run(tx -> t.u.apis().delete(tx, api.id()));
      Api again = t.write(tx -> t.u.apis().create(tx, api("pets")));

      assertThat(t.list(tx -> t.u.routes().list(tx, again.id()))).isEmpty();
      assertThat(t.list(tx -> t.u.integrations().list(tx, again.id()))).isEmpty();
    }
  }

  @Nested
  class RoutesAndIntegrations {
    @Test
    void refuses_a_second_route_with_the_same_method_and_path() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Integration integration = mock(api.id());
      RouteInput route = new RouteInput("GET", "/pets", false, integration.id());
      t.write(tx -> t.u.routes().create(tx, api.id(), route));

      ApiFailure failure = t.failure(tx -> t.u.routes().create(tx, api.id(), route));

      assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(failure.detail()).contains("GET /pets");
    }

    @Test
    void a_route_of_an_unknown_api_is_not_found_before_its_input_is_judged() {
      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .routes()
                      .create(tx, UUID.randomUUID(), new RouteInput(null, null, null, null)));

      assertThat(failure.kind()).isEqualTo(ProblemKind.NOT_FOUND);
    }

    @Test
    void refuses_a_route_over_the_apis_limit() {
      Tenancy small = new Tenancy(Map.of("TURNPIKE_CP_LIMIT_ROUTES_PER_API", "1"));
      Api api = small.write(tx -> small.u.apis().create(tx, api("pets")));
      Integration integration =
          small.write(
              tx ->
                  small
                      .u
                      .integrations()
                      .create(
                          tx,
                          api.id(),
                          new IntegrationInput(
                              "mock", null, null, null, null, null, new MockInput(200, null, ""))));
      small.write(
          tx ->
              small
                  .u
                  .routes()
                  .create(tx, api.id(), new RouteInput("GET", "/a", false, integration.id())));

      ApiFailure failure =
          small.failure(
              tx ->
                  small
                      .u
                      .routes()
                      .create(tx, api.id(), new RouteInput("GET", "/b", false, integration.id())));

      assertThat(failure.kind()).isEqualTo(ProblemKind.LIMIT_EXCEEDED);
    }

    @Test
    void an_integration_in_use_by_a_route_cannot_be_deleted() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Integration integration = mock(api.id());
      Route route =
          t.write(
              tx ->
                  t.u
                      .routes()
                      .create(
                          tx, api.id(), new RouteInput("GET", "/pets", false, integration.id())));

      ApiFailure failure =
          t.failure(tx -> t.u.integrations().delete(tx, api.id(), integration.id()));

      assertThat(failure.kind()).isEqualTo(ProblemKind.CONFLICT);
      assertThat(t.list(tx -> t.u.routes().list(tx, api.id()))).containsExactly(route);
    }

    @Test
    void an_http_integration_needs_a_uri() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));

      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .integrations()
                      .create(
                          tx,
                          api.id(),
                          new IntegrationInput("http_proxy", "GET", null, null, null, null, null)));

      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(failure.errors()).extracting(FieldError::pointer).contains("/uri");
      assertThat(t.list(tx -> t.u.integrations().list(tx, api.id()))).isEmpty();
    }

    @Test
    void a_parameter_mapping_of_a_context_variable_the_gateway_does_not_fill_is_refused() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));

      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .integrations()
                      .create(
                          tx,
                          api.id(),
                          new IntegrationInput(
                              "http",
                              "GET",
                              "https://backend.example.com/pets",
                              null,
                              null,
                              Map.of("integration.request.header.x-stage", "context.stageName"),
                              null)));

      assertThat(failure.kind()).isEqualTo(ProblemKind.VALIDATION_FAILED);
      assertThat(failure.errors())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.pointer())
                    .isEqualTo("/requestParameters/integration.request.header.x-stage");
                assertThat(e.message())
                    .contains("$context.stageName", "does not fill", "requestId", "stage");
              });
      assertThat(t.list(tx -> t.u.integrations().list(tx, api.id()))).isEmpty();
    }

    @Test
    void a_parameter_mapping_of_a_context_variable_the_gateway_fills_is_kept() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Map<String, String> mappings =
          Map.of(
              "integration.request.header.x-stage", "context.stage",
              "integration.request.header.x-sub", "context.authorizer.claims.sub");

      Integration created =
          t.write(
              tx ->
                  t.u
                      .integrations()
                      .create(
                          tx,
                          api.id(),
                          new IntegrationInput(
                              "http",
                              "GET",
                              "https://backend.example.com/pets",
                              null,
                              null,
                              mappings,
                              null)));

      assertThat(created.requestParameters()).isEqualTo(mappings);
    }

    @Test
    void a_form_without_mapping_fields_keeps_the_integrations_templates_and_responses() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      IntegrationInput templated =
          new IntegrationInput(
              "http",
              "POST",
              "https://backend.example.com/pets",
              null,
              null,
              null,
              null,
              null,
              null,
              Map.of("application/json", "{\"name\": \"$input.path('$.name')\"}"),
              "NEVER",
              null,
              List.of(
                  new IntegrationResponseInput("5\\d{2}", 502, null, null, null),
                  new IntegrationResponseInput(null, 200, null, null, "CONVERT_TO_TEXT")));
      Integration before = t.write(tx -> t.u.integrations().create(tx, api.id(), templated));
      IntegrationInput form =
          new IntegrationInput(
              "http", "POST", "https://other.example.com/pets", null, null, null, null);

      Integration after =
          t.write(
              tx ->
                  t.u
                      .integrations()
                      .update(tx, api.id(), before.id(), form.keepingMappingsOf(before)));

      assertThat(after.uri()).isEqualTo("https://other.example.com/pets");
      assertThat(after.requestTemplates()).isEqualTo(before.requestTemplates());
      assertThat(after.passthroughBehavior()).isEqualTo(PassthroughBehavior.NEVER);
      assertThat(after.integrationResponses()).isEqualTo(before.integrationResponses());
      assertThat(after.integrationResponses().get(1).contentHandling())
          .isEqualTo(ContentHandling.CONVERT_TO_TEXT);
    }

    @Test
    void a_mock_gives_a_fixed_response_or_integration_responses_not_both() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));

      ApiFailure failure =
          t.failure(
              tx ->
                  t.u
                      .integrations()
                      .create(
                          tx,
                          api.id(),
                          new IntegrationInput(
                              "mock",
                              null,
                              null,
                              null,
                              null,
                              null,
                              new MockInput(200, null, "{}"),
                              null,
                              null,
                              null,
                              "sometimes",
                              "CONVERT_TO_JSON",
                              List.of(new IntegrationResponseInput(null, 200, null, null, null)))));

      assertThat(failure.errors())
          .extracting(FieldError::pointer)
          .containsExactlyInAnyOrder("/mock", "/passthroughBehavior", "/contentHandling");
      assertThat(t.list(tx -> t.u.integrations().list(tx, api.id()))).isEmpty();
    }

    @Test
    void routes_are_listed_by_path_then_method() {
      Api api = t.write(tx -> t.u.apis().create(tx, api("pets")));
      Integration integration = mock(api.id());
      for (String[] r :
          List.of(
              new String[] {"POST", "/pets"},
              new String[] {"GET", "/a"},
              new String[] {"GET", "/pets"})) {
        t.write(
            tx ->
                t.u
                    .routes()
                    .create(tx, api.id(), new RouteInput(r[0], r[1], false, integration.id())));
      }

      assertThat(t.list(tx -> t.u.routes().list(tx, api.id())))
          .extracting(r -> r.method() + " " + r.resourcePath())
          .containsExactly("GET /a", "GET /pets", "POST /pets");
    }
  }
}
