package dev.turnpike.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's Authorizers page of an API and the route editor's authorization (on the console and
 * organization shared by every {@link ConsoleFeatureTest}).
 */
class AuthorizerPagesTest extends ConsoleFeatureTest {
  static final String ISSUER = "https://id.example.com/realms/acme";

  JsonObject stored(String apiId, String name) {
    var answer =
        cp.client()
            .get(apiToken, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/authorizers/" + name);
    return answer.status() == 200 ? answer.json() : null;
  }

  @Test
  void authorizers_are_created_edited_refused_and_deleted_through_the_page() {
    String apiId = fixture.api(tenantId);
    String page = tenantPath + "apis/" + apiId + "/authorizers";

    HttpResponse<String> empty = owner.page(page);
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).contains("No authorizers yet.").contains("Add an authorizer");

    HttpResponse<String> created =
        owner.post(
            page,
            Map.of("name", "keycloak", "type", "jwt", "issuer", ISSUER, "audience", "pets, web"));
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(owner.follow(created).body())
        .contains("Authorizer keycloak is saved.")
        .contains("issuer " + ISSUER);
    assertThat(stored(apiId, "keycloak").getJsonObject("jwt").getJsonArray("audience"))
        .containsExactly("pets", "web");

    HttpResponse<String> token =
        owner.post(
            page,
            Map.of(
                "name",
                "lambda",
                "type",
                "token",
                "function",
                "token-auth",
                "resultTtlSeconds",
                "60",
                "timeoutMillis",
                "5000",
                "identityValidationExpression",
                "^Bearer .+$",
                // Ignored for a token authorizer: the form serves every type.
                "issuer",
                "https://ignored.example.com"));
    assertThat(token.statusCode()).isEqualTo(303);
    assertThat(stored(apiId, "lambda").getString("function")).isEqualTo("token-auth");
    assertThat(owner.page(page + "/lambda").body())
        .contains("Edit authorizer lambda")
        .contains("value=\"token-auth\"");

    HttpResponse<String> refused =
        owner.post(
            page,
            Map.of("name", "broken", "type", "token", "function", "a", "resultTtlSeconds", "9999"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .containsPattern("id=\"authorizer-ttl\"[^>]*>\\s*<p class=\"error\">must be between 0");
    assertThat(stored(apiId, "broken")).isNull();

    HttpResponse<String> deleted = owner.post(page + "/lambda/delete", Map.of());
    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(owner.follow(deleted).body()).contains("Authorizer lambda was deleted.");
    assertThat(stored(apiId, "lambda")).isNull();
  }

  @Test
  void the_route_editor_sets_an_authorizer_and_scopes_and_a_used_authorizer_is_kept() {
    String apiId = fixture.api(tenantId);
    String integrationId = fixture.integration(tenantId, apiId);
    String routeId = fixture.route(tenantId, apiId, integrationId, "GET", "/pets");
    String apiPage = tenantPath + "apis/" + apiId;
    owner.post(
        apiPage + "/authorizers",
        Map.of("name", "keycloak", "type", "jwt", "issuer", ISSUER, "audience", "pets"));

    HttpResponse<String> saved =
        owner.post(
            apiPage + "/routes/" + routeId,
            Map.of(
                "method", "GET",
                "resourcePath", "/pets",
                "integrationId", integrationId,
                "authorizer", "keycloak",
                "authorizationScopes", "pets:read pets:write"));
    assertThat(saved.statusCode()).isEqualTo(303);
    var route =
        cp.client()
            .get(apiToken, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/routes/" + routeId)
            .json();
    assertThat(route.getString("authorizationType")).isEqualTo("JWT");
    assertThat(route.getJsonArray("authorizationScopes"))
        .containsExactly("pets:read", "pets:write");
    assertThat(owner.page(apiPage).body())
        .contains("keycloak · pets:read pets:write")
        .contains("href=\"/console/t/" + tenantId + "/apis/" + apiId + "/authorizers\"");
    assertThat(owner.page(apiPage + "/routes/" + routeId).body())
        .containsPattern("<option value=\"keycloak\"[^>]*selected");

    HttpResponse<String> refused = owner.post(apiPage + "/authorizers/keycloak/delete", Map.of());
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("GET /pets");
    assertThat(stored(apiId, "keycloak")).isNotNull();
  }
}
