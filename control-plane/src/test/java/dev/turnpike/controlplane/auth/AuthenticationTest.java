package dev.turnpike.controlplane.auth;

import static dev.turnpike.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.controlplane.testing.TestIdentityProvider;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {
  TestControlPlane cp;
  ApiClient api;
  TestDatabase db;

  @BeforeAll
  void start(TestDatabase db) {
    this.db = db;
    cp = TestControlPlane.start(db);
    api = cp.client();
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  void assertUnauthenticated(ApiClient.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
    assertThat(answer.contentType()).isEqualTo("application/problem+json");
    assertThat(answer.json().getString("type"))
        .isEqualTo("https://turnpike.dev/problems/unauthenticated");
  }

  @Nested
  class Tokens {
    @Test
    void accepts_a_token_signed_by_the_issuer() {
      var answer = api.get(cp.token("alice"), "/v1/me");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.json().getString("subject")).isEqualTo("alice");
    }

    @Test
    void rejects_a_request_without_a_token() {
      assertUnauthenticated(api.get(null, "/v1/me"));
    }

    @Test
    void rejects_a_token_signed_by_another_key() {
      TestIdentityProvider idp = cp.identity();
      assertUnauthenticated(api.get(idp.signWithForeignKey(idp.claims("mallory")), "/v1/me"));
    }

    @Test
    void rejects_a_tampered_token() {
      String token = cp.token("alice");
      String[] parts = token.split("\\.");
      String forged =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  cp.identity()
                      .claims("root")
                      .encode()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertUnauthenticated(api.get(parts[0] + "." + forged + "." + parts[2], "/v1/me"));
    }

    @Test
    void rejects_an_expired_token() {
      long past = Instant.now().minusSeconds(600).getEpochSecond();
      JsonObject claims = cp.identity().claims("alice").put("iat", past - 300).put("exp", past);
      assertUnauthenticated(api.get(cp.identity().sign(claims), "/v1/me"));
    }

    @Test
    void rejects_a_token_without_expiry() {
      JsonObject claims = cp.identity().claims("alice");
      claims.remove("exp");
      assertUnauthenticated(api.get(cp.identity().sign(claims), "/v1/me"));
    }

    @Test
    void rejects_a_token_from_another_issuer() {
      JsonObject claims = cp.identity().claims("alice").put("iss", "https://evil.example.com");
      assertUnauthenticated(api.get(cp.identity().sign(claims), "/v1/me"));
    }

    @Test
    void rejects_a_token_for_another_audience() {
      JsonObject claims = cp.identity().claims("alice").put("aud", "some-other-client");
      assertUnauthenticated(api.get(cp.identity().sign(claims), "/v1/me"));
    }

    @Test
    void rejects_a_token_without_audience() {
      JsonObject claims = cp.identity().claims("alice");
      claims.remove("aud");
      assertUnauthenticated(api.get(cp.identity().sign(claims), "/v1/me"));
    }

    @Test
    void rejects_an_unsigned_token() {
      String header =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  "{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String body =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  cp.identity()
                      .claims("alice")
                      .encode()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertUnauthenticated(api.get(header + "." + body + ".", "/v1/me"));
    }

    @Test
    void rejects_garbage() {
      assertUnauthenticated(api.get("not-a-jwt", "/v1/me"));
    }
  }

  @Nested
  class SigningIn {
    @Test
    void first_sign_in_creates_the_user_once() {
      api.get(cp.token("bob"), "/v1/me");
      api.get(cp.token("bob"), "/v1/me");
      assertThat(db.ownerDsl().fetchCount(USERS, USERS.KEYCLOAK_SUBJECT.eq("bob"))).isEqualTo(1);
      assertThat(
              db.ownerDsl()
                  .select(USERS.EMAIL)
                  .from(USERS)
                  .where(USERS.KEYCLOAK_SUBJECT.eq("bob"))
                  .fetchOne(USERS.EMAIL))
          .isEqualTo("bob@example.com");
    }

    @Test
    void records_whether_the_identity_provider_verified_the_email_and_follows_its_changes() {
      var claims = cp.identity().claims("dora");
      api.get(cp.identity().sign(claims.copy().put("email_verified", true)), "/v1/me");
      assertThat(verified("dora")).isTrue();

      api.get(cp.identity().sign(claims.copy().put("email_verified", false)), "/v1/me");
      assertThat(verified("dora")).isFalse();
      // Only a JSON true counts; a string, or no claim at all, verifies nothing.
      api.get(cp.identity().sign(claims.copy().put("email_verified", "true")), "/v1/me");
      assertThat(verified("dora")).isFalse();
      api.get(cp.token("erin"), "/v1/me");
      assertThat(verified("erin")).isFalse();
    }

    boolean verified(String subject) {
      return db.ownerDsl()
          .select(USERS.EMAIL_VERIFIED)
          .from(USERS)
          .where(USERS.KEYCLOAK_SUBJECT.eq(subject))
          .fetchOne(USERS.EMAIL_VERIFIED);
    }

    @Test
    void the_same_subject_is_the_same_user_each_time() {
      String first = api.get(cp.token("carol"), "/v1/me").json().getString("id");
      String second = api.get(cp.token("carol"), "/v1/me").json().getString("id");
      assertThat(first).isEqualTo(second);
    }
  }
}
