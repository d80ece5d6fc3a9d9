package dev.turnpike.controlplane.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.browser.Chromium;
import dev.turnpike.testkit.kafka.KafkaBroker;
import dev.turnpike.testkit.kafka.KafkaBrokerExtension;
import dev.turnpike.testkit.keycloak.KeycloakExtension;
import dev.turnpike.testkit.keycloak.KeycloakServer;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An owner's first session in a real Chromium: signs up on Keycloak's registration form, creates
 * the organization, an API, imports an OpenAPI document, deploys it to a stage and sells it with a
 * usage plan; each step checked on the page and in the platform's state (management API, Kafka).
 * Screenshots of every main page, desktop and phone, go to {@code target/screenshots/console/}.
 */
@Tag("keycloak")
@Tag("browser")
@ExtendWith({EmbeddedPostgresExtension.class, KafkaBrokerExtension.class, KeycloakExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots", "console");
  static final String PETSTORE_RESOURCE = "/openapi/petstore-aws-export.yaml";

  TestControlPlane cp;
  KeycloakServer keycloak;
  KafkaBroker kafka;
  Chromium chromium;

  static String petstore() {
    try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream(PETSTORE_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  void start(TestDatabase db, KafkaBroker kafka, KeycloakServer keycloak) {
    this.keycloak = keycloak;
    this.kafka = kafka;
    cp = ConsoleEnvironment.start(db, keycloak, kafka.bootstrapServers());
    chromium = Chromium.launch();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    cp.close();
  }

  @Test
  void an_owner_signs_up_imports_an_api_deploys_it_and_sells_it_with_a_plan()
      throws URISyntaxException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String username = "owner-" + suffix;
    String password = "console-test-" + suffix;
    String base = ConsoleEnvironment.base(cp);
    try (BrowserContext context = chromium.newContext(Chromium.DESKTOP)) {
      Page page = context.newPage();
      page.setDefaultTimeout(30_000);

      page.navigate(base + "/console/");
      assertThat(page.locator("h1")).hasText("Publish and sell your APIs");
      Chromium.screenshots(page, SCREENSHOTS, "01-welcome");

      page.getByText("Sign up").click();
      page.waitForSelector("#kc-register-form");
      page.fill("#username", username);
      page.fill("#email", username + "@example.com");
      page.fill("#firstName", "Olga");
      page.fill("#lastName", "Owner");
      page.fill("#password", password);
      page.fill("#password-confirm", password);
      page.locator("#kc-register-form [type=submit]").click();

      assertThat(page.locator("h1")).hasText("Create your organization");
      Chromium.screenshots(page, SCREENSHOTS, "02-organization");
      page.getByLabel("Name").fill("Petstore Inc");
      page.locator("#org-slug").fill("petstore-" + suffix);
      page.getByText("Create organization").click();

      assertThat(page.locator("h1")).hasText("Dashboard");
      assertThat(page.locator(".org")).hasText("Petstore Inc");
      String tenantId = page.url().replaceAll(".*/console/t/([0-9a-f-]{36})/.*", "$1");
      Chromium.screenshots(page, SCREENSHOTS, "03-dashboard-empty");

      page.locator("nav a", new Page.LocatorOptions().setHasText("APIs")).click();
      page.locator("#api-name").fill("Pet Store");
      page.locator("#api-slug").fill("pets");
      page.getByText("Create API", new Page.GetByTextOptions().setExact(true)).click();
      assertThat(page.locator("h1")).hasText("Pet Store");

      page.getByText("Import OpenAPI").click();
      assertThat(page.locator("h1")).hasText("Import an OpenAPI document");
      page.locator("#import-file")
          .setInputFiles(Path.of(getClass().getResource(PETSTORE_RESOURCE).toURI()));
      Chromium.screenshots(page, SCREENSHOTS, "04-import");
      page.getByText("Import", new Page.GetByTextOptions().setExact(true)).click();
      assertThat(page.locator("h1")).hasText("Document imported");
      assertThat(page.locator("main")).containsText("/pets/{petId}");
      Chromium.screenshots(page, SCREENSHOTS, "05-imported");

      page.getByText("Deploy it").click();
      page.locator("#stage-name").fill("prod");
      page.getByText("Create stage", new Page.GetByTextOptions().setExact(true)).click();
      page.locator("#deploy-description").fill("first release");
      page.locator("form[action$='/deployments'] button").click();
      assertThat(page.locator("#stages table").first()).containsText("(first release)");
      Chromium.screenshots(page, SCREENSHOTS, "06-api-deployed");

      // The imported backend URLs use ${stageVariables.petHost}: the stage supplies it.
      page.getByLabel("Settings of stage prod").click();
      page.locator("#stage-variables").fill("petHost=petstore.example.com");
      Chromium.screenshots(page, SCREENSHOTS, "06b-stage");
      page.getByText("Save stage").click();
      assertThat(page.locator("h1")).hasText("Pet Store");

      page.locator("nav a", new Page.LocatorOptions().setHasText("Usage plans")).click();
      page.getByText("Create a usage plan").first().click();
      page.locator("#plan-name").fill("Starter");
      page.locator("#plan-rate").fill("10");
      page.locator("#plan-burst").fill("20");
      page.locator("#plan-quota").fill("10000");
      page.locator("#plan-model").selectOption("per_request");
      page.locator("#plan-unit").fill("0.001");
      page.getByLabel("Pet Store / prod").check();
      Chromium.screenshots(page, SCREENSHOTS, "07-plan-form");
      page.getByText("Create plan").click();
      assertThat(page.locator("h1")).hasText("Usage plans");
      assertThat(page.locator("table")).containsText("Starter");
      assertThat(page.locator("table")).containsText("Pet Store / prod");
      assertThat(page.locator("table")).containsText("0.001 USD per request");
      Chromium.screenshots(page, SCREENSHOTS, "08-plans");

      page.locator("nav a", new Page.LocatorOptions().setHasText("Dashboard")).click();
      assertThat(page.locator("main table").first()).containsText("prod");
      assertThat(page.locator("main table").first()).containsText(" since ");
      assertThat(page.locator("main table").first()).not().containsText("not deployed");
      Chromium.screenshots(page, SCREENSHOTS, "09-dashboard");
      page.locator("nav a", new Page.LocatorOptions().setHasText("Apps")).click();
      Chromium.screenshots(page, SCREENSHOTS, "10-apps");
      page.locator("nav a", new Page.LocatorOptions().setHasText("Audit log")).click();
      assertThat(page.locator("table")).containsText("plan.create");
      Chromium.screenshots(page, SCREENSHOTS, "11-audit");

      assertPlatformState(tenantId, username, password);

      page.getByText("Sign out").click();
      assertThat(page.locator("h1")).hasText("Publish and sell your APIs");
    }
  }

  /** What the pages showed is what the management API and the gateway's config topics hold. */
  void assertPlatformState(String tenantId, String username, String password) {
    String token = keycloak.passwordGrant(CLI_CLIENT, username, password);
    ApiClient api = cp.client();
    JsonArray apis = api.get(token, "/v1/tenants/" + tenantId + "/apis").items();
    assertThat(apis).hasSize(1);
    String apiId = apis.getJsonObject(0).getString("id");
    assertThat(api.get(token, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/routes").body())
        .contains("\"resourcePath\":\"/pets/{petId}\"");
    JsonObject stage =
        api.get(token, "/v1/tenants/" + tenantId + "/apis/" + apiId + "/stages")
            .items()
            .getJsonObject(0);
    assertThat(stage.getString("name")).isEqualTo("prod");
    assertThat(stage.getString("deploymentId")).isNotNull();
    assertThat(stage.getJsonObject("variables").getString("petHost"))
        .isEqualTo("petstore.example.com");
    JsonObject plan =
        api.get(token, "/v1/tenants/" + tenantId + "/usage-plans").items().getJsonObject(0);
    assertThat(plan.getJsonObject("pricing").getLong("unitPriceMicros")).isEqualTo(1000L);
    assertThat(plan.getJsonArray("apiStages").getJsonObject(0).getString("apiId")).isEqualTo(apiId);

    String deploymentKey = tenantId + "/" + apiId + "/prod";
    Await.until(
        Duration.ofSeconds(20),
        () ->
            kafka.readAll(Topics.DEPLOYMENTS, 1, Duration.ofSeconds(2)).stream()
                .anyMatch(r -> r.key().contains(apiId)),
        "the deployment of " + deploymentKey + " on " + Topics.DEPLOYMENTS);
  }
}
