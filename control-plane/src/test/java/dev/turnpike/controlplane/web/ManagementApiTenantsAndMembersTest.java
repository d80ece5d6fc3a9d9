package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The management API: tenants and members (on the control plane shared by every {@link
 * ManagementApiFeatureTest}).
 */
class ManagementApiTenantsAndMembersTest extends ManagementApiFeatureTest {
  @Test
  void creating_a_tenant_makes_the_caller_its_owner() {
    String tenant = fx.tenant();
    var mine = api.get(token, "/v1/tenants").items();
    assertThat(mine.stream().map(o -> ((JsonObject) o).getString("id"))).contains(tenant);
    var got = api.get(token, "/v1/tenants/" + tenant).json();
    assertThat(got.getString("role")).isEqualTo("owner");
    var members = api.get(token, "/v1/tenants/" + tenant + "/members").items();
    assertThat(members).hasSize(1);
    assertThat(auditCount(tenant, "tenant.create")).isEqualTo(1);
  }

  @Test
  void a_taken_slug_is_a_conflict() {
    String slug = "dup-" + UUID.randomUUID().toString().substring(0, 6);
    fx.created("/v1/tenants", new JsonObject().put("slug", slug).put("name", "One"));
    var again =
        api.post(token, "/v1/tenants", new JsonObject().put("slug", slug).put("name", "Two"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("type")).isEqualTo("https://turnpike.dev/problems/conflict");
  }

  @Test
  void viewers_read_but_cannot_change_anything() {
    String tenant = fx.tenant();
    String apiId = fx.api(tenant);
    String viewerToken = cp.token("viewer-" + UUID.randomUUID());
    String viewerId = api.get(viewerToken, "/v1/me").json().getString("id");
    var added =
        api.put(
            token,
            "/v1/tenants/" + tenant + "/members/" + viewerId,
            new JsonObject().put("role", "viewer"));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);

    assertThat(api.get(viewerToken, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
        .isEqualTo(200);
    var create =
        api.post(
            viewerToken,
            "/v1/tenants/" + tenant + "/apis",
            new JsonObject().put("slug", "nope").put("name", "No"));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.json().getString("type"))
        .isEqualTo("https://turnpike.dev/problems/forbidden");
    assertThat(api.delete(viewerToken, "/v1/tenants/" + tenant + "/apis/" + apiId).status())
        .isEqualTo(403);
    assertThat(
            api.post(
                    viewerToken,
                    "/v1/tenants/" + tenant + "/apps",
                    new JsonObject().put("name", "x"))
                .status())
        .isEqualTo(403);
    assertThat(api.get(token, "/v1/tenants/" + tenant + "/apis/" + apiId).status()).isEqualTo(200);
  }

  @Test
  void the_last_owner_cannot_leave() {
    String tenant = fx.tenant();
    String me = api.get(token, "/v1/me").json().getString("id");
    var answer = api.delete(token, "/v1/tenants/" + tenant + "/members/" + me);
    assertThat(answer.status()).isEqualTo(409);
  }
}
