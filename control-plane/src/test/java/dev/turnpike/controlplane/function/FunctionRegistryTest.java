package dev.turnpike.controlplane.function;

import static dev.turnpike.db.Tables.FUNCTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.Fixture;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.migrations.TenantTransactions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The function registry: register, replace, read, list and delete, with an audit trail; names,
 * invoke URLs and timeouts validated (the egress policy included); other tenants kept out
 * (row-level security too); the per-tenant limit.
 */
class FunctionRegistryTest extends FunctionFeatureTest {
  TestControlPlane limited;

  @BeforeAll
  void startLimited() {
    limited =
        TestControlPlane.start(
            world.db(), null, Map.of("TURNPIKE_CP_LIMIT_FUNCTIONS_PER_TENANT", "2"));
  }

  @AfterAll
  void stopLimited() {
    limited.close();
  }

  @Test
  void registers_replaces_reads_lists_and_deletes_a_function_with_an_audit_trail() {
    String tenant = fx.tenant();
    ApiClient.Answer created = register(tenant, "orders", ORDERS_URL + "/", 5000);
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().getString("name")).isEqualTo("orders");
    assertThat(created.json().getString("invokeUrl")).isEqualTo(ORDERS_URL);
    assertThat(created.json().getInteger("timeoutMillis")).isEqualTo(5000);

    ApiClient.Answer replaced = register(tenant, "orders", "https://orders2.example.com", null);
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(replaced.json().getString("invokeUrl")).isEqualTo("https://orders2.example.com");
    assertThat(replaced.json().getInteger("timeoutMillis")).isEqualTo(29_000);
    assertThat(replaced.json().getString("createdAt"))
        .isEqualTo(created.json().getString("createdAt"));
    registered(tenant, "orders:live", ORDERS_URL, null);

    ApiClient.Answer one = api.get(token, functions(tenant) + "/orders");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().getString("invokeUrl")).isEqualTo("https://orders2.example.com");
    assertThat(api.get(token, functions(tenant)).items().stream())
        .map(f -> ((JsonObject) f).getString("name"))
        .containsExactly("orders", "orders:live");

    assertThat(api.delete(token, functions(tenant) + "/orders").status()).isEqualTo(204);
    assertThat(api.get(token, functions(tenant) + "/orders").status()).isEqualTo(404);
    assertThat(api.delete(token, functions(tenant) + "/orders").status()).isEqualTo(404);
    assertThat(auditCount(tenant, "function.create")).isEqualTo(2);
    assertThat(auditCount(tenant, "function.update")).isEqualTo(1);
    assertThat(auditCount(tenant, "function.delete")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bad%20name",
        "orders:$LATEST",
        "orders:live:blue",
        "a-name-of-sixty-five-characters-is-one-longer-than-lambda-allows1",
        "orders:"
      })
  void refuses_a_name_lambda_would_refuse(String name) {
    String tenant = fx.tenant();
    ApiClient.Answer answer = register(tenant, name, ORDERS_URL, null);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(pointers(answer)).containsExactly("/name");
    assertThat(api.get(token, functions(tenant)).items()).isEmpty();
  }

  @Test
  void refuses_bad_urls_and_timeouts_and_changes_nothing() {
    String tenant = fx.tenant();
    assertThat(pointers(register(tenant, "orders", "ftp://orders.example.com", null)))
        .containsExactly("/invokeUrl");
    assertThat(pointers(register(tenant, "orders", "http://orders.example.com/?a=1", null)))
        .containsExactly("/invokeUrl");
    assertThat(pointers(register(tenant, "orders", "orders.example.com", null)))
        .containsExactly("/invokeUrl");
    assertThat(pointers(register(tenant, "orders", ORDERS_URL, 30_000)))
        .containsExactly("/timeoutMillis");
    assertThat(pointers(register(tenant, "orders", ORDERS_URL, 49)))
        .containsExactly("/timeoutMillis");
    ApiClient.Answer missing = api.put(token, functions(tenant) + "/orders", new JsonObject());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(pointers(missing)).containsExactly("/invokeUrl");
    ApiClient.Answer unknown =
        api.put(
            token,
            functions(tenant) + "/orders",
            new JsonObject().put("invokeUrl", ORDERS_URL).put("memorySize", 128));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(api.get(token, functions(tenant)).items()).isEmpty();
    assertThat(auditCount(tenant, "function.create")).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:9001",
        "http://localhost:8080",
        "http://169.254.169.254",
        "http://10.0.0.5:8080",
        "http://[::1]:9000"
      })
  void refuses_an_invoke_url_the_egress_policy_forbids(String url) {
    String tenant = fx.tenant();
    ApiClient.Answer answer = register(tenant, "orders", url, null);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(pointers(answer)).containsExactly("/invokeUrl");
    assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("message"))
        .contains("egress policy");
    assertThat(api.get(token, functions(tenant) + "/orders").status()).isEqualTo(404);
  }

  @Test
  void another_tenant_neither_sees_nor_changes_it_and_the_database_agrees() {
    String tenantA = fx.tenant();
    registered(tenantA, "orders", ORDERS_URL, null);
    String tokenB = cp.token("other-" + UUID.randomUUID());
    String tenantB = new Fixture(api, tokenB).tenant();

    assertThat(api.get(tokenB, functions(tenantA) + "/orders").status()).isEqualTo(404);
    assertThat(api.get(tokenB, functions(tenantA)).status()).isEqualTo(404);
    assertThat(api.delete(tokenB, functions(tenantA) + "/orders").status()).isEqualTo(404);
    ApiClient.Answer put =
        api.put(
            tokenB,
            functions(tenantA) + "/orders",
            new JsonObject().put("invokeUrl", "http://evil.example.com"));
    assertThat(put.status()).isEqualTo(404);
    assertThat(api.get(tokenB, functions(tenantB)).items()).isEmpty();
    assertThat(api.get(token, functions(tenantA) + "/orders").json().getString("invokeUrl"))
        .isEqualTo(ORDERS_URL);

    // Row-level security: in tenant B's scope the application role reads none of A's rows,
    // even without a tenant predicate, and cannot write a row for A.
    UUID b = UUID.fromString(tenantB);
    UUID a = UUID.fromString(tenantA);
    int visible = TenantTransactions.inTenant(app, b, c -> DSL.using(c).fetchCount(FUNCTIONS));
    assertThat(visible).isZero();
    boolean refused;
    try {
      TenantTransactions.inTenant(
          app,
          b,
          c ->
              DSL.using(c)
                  .insertInto(FUNCTIONS)
                  .set(FUNCTIONS.TENANT_ID, a)
                  .set(FUNCTIONS.NAME, "planted")
                  .set(FUNCTIONS.INVOKE_URL, "http://evil.example.com")
                  .execute());
      refused = false;
    } catch (RuntimeException e) {
      refused = true;
    }
    assertThat(refused).isTrue();
    assertThat(owner.fetchCount(FUNCTIONS, FUNCTIONS.TENANT_ID.eq(a))).isEqualTo(1);
  }

  @Test
  void refuses_a_function_past_the_tenant_limit_but_still_replaces_one() {
    ApiClient client = limited.client();
    String ownerToken = limited.token("limited-" + UUID.randomUUID());
    String tenant = new Fixture(client, ownerToken).tenant();
    JsonObject body = new JsonObject().put("invokeUrl", ORDERS_URL);
    assertThat(client.put(ownerToken, functions(tenant) + "/one", body).status()).isEqualTo(200);
    assertThat(client.put(ownerToken, functions(tenant) + "/two", body).status()).isEqualTo(200);

    ApiClient.Answer third = client.put(ownerToken, functions(tenant) + "/three", body);
    assertThat(third.status()).as(third.toString()).isEqualTo(400);
    assertThat(third.json().getString("type"))
        .isEqualTo("https://turnpike.dev/problems/limit-exceeded");
    assertThat(third.json().getString("detail"))
        .contains("TURNPIKE_CP_LIMIT_FUNCTIONS_PER_TENANT")
        .contains("2 functions per tenant");
    assertThat(client.put(ownerToken, functions(tenant) + "/two", body).status()).isEqualTo(200);
    assertThat(client.get(ownerToken, functions(tenant)).items()).hasSize(2);
  }
}
