package dev.turnpike.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.testkit.keycloak.TurnpikeRealm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialRealmTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String REALM =
      """
      {"realm": "turnpike", "clients": [
        {"clientId": "turnpike-console", "secret": "${CONSOLE_SECRET}",
         "redirectUris": ["${CONSOLE_URL}/*"], "attributes": {"pkce.code.challenge.method": "S256"}},
        {"clientId": "turnpike-cli", "directAccessGrantsEnabled": false}]}
      """;
  static final String ADDITIONS =
      """
      {"clients": [
        {"clientId": "turnpike-console", "redirectUris": ["http://localhost/*"],
         "attributes": {"use.refresh.tokens": "true"}},
        {"clientId": "turnpike-cli", "directAccessGrantsEnabled": true}],
       "users": [{"username": "demo-owner"}]}
      """;

  @Test
  void lays_the_additions_over_the_realm_and_fills_the_secrets() throws Exception {
    JsonNode trial =
        JSON.readTree(
            TrialRealm.compose(REALM, ADDITIONS, Map.of("turnpike-console", "made-for-this-run")));

    JsonNode console = trial.at("/clients/0");
    assertThat(console.path("secret").asText()).isEqualTo("made-for-this-run");
    assertThat(console.path("redirectUris").toString()).isEqualTo("[\"http://localhost/*\"]");
    assertThat(console.at("/attributes/pkce.code.challenge.method").asText()).isEqualTo("S256");
    assertThat(console.at("/attributes/use.refresh.tokens").asText()).isEqualTo("true");
    assertThat(trial.at("/clients/1/directAccessGrantsEnabled").asBoolean()).isTrue();
    assertThat(trial.at("/users/0/username").asText()).isEqualTo("demo-owner");
  }

  @Test
  void refuses_to_leave_a_placeholder_the_trial_cannot_fill() {
    assertThatThrownBy(() -> TrialRealm.compose(REALM, ADDITIONS, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/clients/0/secret=${CONSOLE_SECRET}");
  }

  @Test
  void the_checkouts_trial_realm_has_the_demo_users_and_the_password_grant_production_lacks()
      throws Exception {
    JsonNode production = JSON.readTree(TurnpikeRealm.productionFile().toFile());
    JsonNode trial = JSON.readTree(Files.readString(TurnpikeRealm.file()));

    assertThat(production.has("users")).isFalse();
    assertThat(trial.path("users"))
        .extracting(u -> u.path("username").asText())
        .containsExactlyInAnyOrder(TurnpikeRealm.DEMO_OWNER, TurnpikeRealm.DEMO_DEVELOPER);
    assertThat(
            clientOf(production, TurnpikeRealm.CLI_CLIENT)
                .path("directAccessGrantsEnabled")
                .asBoolean())
        .isFalse();
    assertThat(
            clientOf(trial, TurnpikeRealm.CLI_CLIENT).path("directAccessGrantsEnabled").asBoolean())
        .isTrue();
    assertThat(clientOf(trial, TurnpikeRealm.CONSOLE_CLIENT).path("secret").asText())
        .isEqualTo(TurnpikeRealm.CONSOLE_CLIENT_SECRET);
    assertThat(Path.of(TurnpikeRealm.file().toString())).isRegularFile();
  }

  @Test
  void the_checkouts_trial_realm_has_a_client_credentials_client_whose_tokens_name_the_demo_api()
      throws Exception {
    JsonNode production = JSON.readTree(TurnpikeRealm.productionFile().toFile());
    JsonNode trial = JSON.readTree(Files.readString(TurnpikeRealm.file()));

    assertThat(production.path("clients"))
        .noneSatisfy(c -> assertThat(c.path("clientId").asText()).isEqualTo("demo-service"));
    JsonNode service = clientOf(trial, "demo-service");
    assertThat(service.path("publicClient").asBoolean(true)).isFalse();
    assertThat(service.path("serviceAccountsEnabled").asBoolean()).isTrue();
    assertThat(service.path("standardFlowEnabled").asBoolean(true)).isFalse();
    assertThat(service.path("directAccessGrantsEnabled").asBoolean(true)).isFalse();
    assertThat(service.path("protocolMappers"))
        .anySatisfy(
            mapper -> {
              assertThat(mapper.path("protocolMapper").asText()).isEqualTo("oidc-audience-mapper");
              assertThat(mapper.at("/config/included.custom.audience").asText())
                  .isEqualTo("demo-api");
              assertThat(mapper.at("/config/access.token.claim").asText()).isEqualTo("true");
            });
  }

  private static JsonNode clientOf(JsonNode realm, String clientId) {
    for (JsonNode client : realm.path("clients")) {
      if (client.path("clientId").asText().equals(clientId)) {
        return client;
      }
    }
    throw new AssertionError("no client " + clientId);
  }
}
