package dev.turnpike.controlplane.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.CLI_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.turnpike.contracts.Topics;
import dev.turnpike.controlplane.testing.ApiClient;
import dev.turnpike.controlplane.testing.OwnerBrowser;
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
    try (OwnerBrowser owner =
        new OwnerBrowser(chromium, ConsoleEnvironment.base(cp), SCREENSHOTS)) {
      Page page = owner.page();
      owner.openWelcome();
      owner.shoot("01-welcome");
      owner.signUp(username, password);
      owner.shoot("02-organization");
      String tenantId = owner.createOrganization("Petstore Inc", "petstore-" + suffix);
      owner.shoot("03-dashboard-empty");

      owner.createApi("Pet Store", "pets");
      owner.importOpenApi(Path.of(getClass().getResource(PETSTORE_RESOURCE).toURI()));
      assertThat(page.locator("main")).containsText("/pets/{petId}");
      owner.shoot("05-imported");
      owner.deployToNewStage("prod", "first release");
      owner.shoot("06-api-deployed");
      // The imported backend URLs use ${stageVariables.petHost}: the stage supplies it.
      owner.setStageVariables("Pet Store", "prod", "petHost=petstore.example.com");

      owner.createPlan(
          new OwnerBrowser.Plan(
              "Starter", 10, 20, 10_000, "MONTH", "per_request", "0.001", "Pet Store / prod"));
      assertThat(page.locator("table")).containsText("0.001 USD per request");
      owner.shoot("08-plans");

      owner.navigate("Dashboard");
      assertThat(page.locator("main table").first()).containsText("prod");
      assertThat(page.locator("main table").first()).containsText(" since ");
      assertThat(page.locator("main table").first()).not().containsText("not deployed");
      owner.shoot("09-dashboard");
      owner.navigate("Apps");
      owner.shoot("10-apps");
      owner.navigate("Audit log");
      assertThat(page.locator("table")).containsText("plan.create");
      owner.shoot("11-audit");
      owner.navigate("Members");
      assertThat(page.locator("main table")).containsText("owner");
      owner.shoot("12-members");
      owner.navigate("APIs");
      page.getByText("Pet Store", new Page.GetByTextOptions().setExact(true)).click();
      page.getByText("Delete API…").click();
      assertThat(page.locator("h1")).hasText("Delete API Pet Store?");
      assertThat(page.locator("main")).containsText("Gateway nodes stop serving prod");
      owner.shoot("13-delete-api");
      page.getByText("Keep it").click();
      assertThat(page.locator("h1")).hasText("Pet Store");

      assertPlatformState(tenantId, username, password);

      owner.signOut();
    }
  }

  /**
   * An owner blocks a developer of their portal from the Developers page, with the reason the
   * developer will read, unblocks them, and caps developers' keys and apps; a cap past the
   * platform's maximum is explained beside its field.
   */
  @Test
  void an_owner_blocks_and_unblocks_a_developer_and_caps_keys_and_apps_on_the_developers_page() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (OwnerBrowser owner =
        new OwnerBrowser(chromium, ConsoleEnvironment.base(cp), SCREENSHOTS)) {
      Page page = owner.page();
      owner.openWelcome();
      owner.signUp("owner-" + suffix, "console-test-" + suffix);
      String slug = "devs-" + suffix;
      String tenantId = owner.createOrganization("Devs Inc", slug);
      String developer =
          keycloak.passwordGrant(
              CLI_CLIENT,
              dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER,
              dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_PASSWORD);
      ApiClient.Answer registered =
          cp.client()
              .put(
                  developer,
                  "/v1/portal/" + slug + "/me",
                  new JsonObject().put("company", "Scrapers Ltd"));
      assertThat(registered.status()).as(registered.toString()).isEqualTo(200);

      owner.navigate("Developers");
      assertThat(page.locator("h1")).hasText("Developers");
      assertThat(page.locator("main table")).containsText("Scrapers Ltd");
      page.getByLabel("Why Demo Developer is blocked").fill("Resold the API without a licence");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Block Demo Developer"))
          .click();
      assertThat(page.locator(".flash")).containsText("Demo Developer is blocked");
      assertThat(page.locator("main table")).containsText("Resold the API without a licence");
      owner.shoot("14-developer-blocked");
      JsonObject me = cp.client().get(developer, "/v1/portal/" + slug + "/me").json();
      assertThat(me.getString("status")).isEqualTo("blocked");

      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Unblock Demo Developer"))
          .click();
      assertThat(page.locator(".flash")).containsText("Demo Developer is unblocked");
      assertThat(
              cp.client().get(developer, "/v1/portal/" + slug + "/me").json().getString("status"))
          .isEqualTo("active");

      page.getByLabel("Keys per app").fill("100000");
      page.getByText("Save caps").click();
      assertThat(page.locator("#caps-keys + p.error")).containsText("must be between 1 and");
      page.getByLabel("Keys per app").fill("2");
      page.getByLabel("Apps per developer").fill("3");
      page.getByText("Save caps").click();
      assertThat(page.locator(".flash"))
          .containsText("Each app may now hold 2 keys and each developer 3 apps.");
      owner.shoot("15-developer-caps");
      String ownerToken =
          keycloak.passwordGrant(CLI_CLIENT, "owner-" + suffix, "console-test-" + suffix);
      JsonObject caps =
          cp.client().get(ownerToken, "/v1/tenants/" + tenantId + "/developer-caps").json();
      assertThat(caps.getInteger("keysPerApp")).isEqualTo(2);
      assertThat(caps.getInteger("appsPerDeveloper")).isEqualTo(3);
      owner.signOut();
    }
  }

  /**
   * An owner writes a request template and an integration response for an imported integration,
   * saves them, and tries them in the page's test panel: the chosen template's output, the response
   * the pretended backend status selects, its mapped header and its template's output.
   */
  @Test
  void an_owner_edits_an_integrations_templates_and_responses_and_tries_them_in_the_test_panel()
      throws URISyntaxException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (OwnerBrowser owner =
        new OwnerBrowser(chromium, ConsoleEnvironment.base(cp), SCREENSHOTS)) {
      Page page = owner.page();
      owner.openWelcome();
      owner.signUp("owner-" + suffix, "console-test-" + suffix);
      owner.createOrganization("Templates Inc", "templates-" + suffix);
      owner.createApi("Pet Store", "pets");
      owner.importOpenApi(Path.of(getClass().getResource(PETSTORE_RESOURCE).toURI()));
      owner.navigate("APIs");
      page.getByText("Pet Store", new Page.GetByTextOptions().setExact(true)).click();
      // An import creates its integrations in one transaction, so the list's order among them
      // is their random ids': pick an http one by its type, and come back to that same one.
      Locator httpIntegration =
          page.locator(
                  "#integrations tbody tr:has(td:nth-child(2):text-is('http'))"
                      + " a[href*='/integrations/']")
              .first();
      String integrationLink =
          "#integrations a[href='" + httpIntegration.getAttribute("href") + "']";
      httpIntegration.click();
      assertThat(page.locator("h1")).hasText("Edit integration");

      // Templates apply to http (non-proxy) integrations: a proxy would refuse them.
      page.locator("#integration-type").selectOption("http");
      page.getByLabel("Template 1", new Page.GetByLabelOptions().setExact(true))
          .fill("{\"id\": \"$input.path('$.id')\", \"env\": \"$stageVariables.env\"}");
      // The last row of the integration responses is the blank one that takes a new response.
      String row =
          page.locator("#integration-responses input[name$='.selectionPattern']")
              .last()
              .getAttribute("name")
              .replace(".selectionPattern", "");
      page.locator("[name='" + row + ".selectionPattern']").fill("4\\d{2}");
      page.locator("[name='" + row + ".statusCode']").fill("404");
      page.locator("[name='" + row + ".parameters']")
          .fill("method.response.header.x-kind = 'missing'");
      page.locator("[name='" + row + ".template']")
          .fill("{\"missing\": $input.json('$.id'), \"stage\": \"$context.stage\"}");
      page.getByText("Save integration").click();
      // Saving validates every template: give a loaded machine more than the default 5 s.
      assertThat(page.locator("h1"))
          .hasText(
              "Pet Store",
              new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                  .setTimeout(30_000));

      page.locator(integrationLink).click();
      assertThat(page.locator("[name='" + row + ".statusCode']")).hasValue("404");
      page.locator("#test-body").fill("{\"id\": \"o-7\"}");
      page.getByLabel("Stage variables (name=value, one a line)").fill("env=prod");
      page.getByLabel("Backend status to pretend").fill("404");
      page.getByLabel("Backend body to pretend").fill("{\"id\": \"o-7\"}");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Test").setExact(true))
          .click();

      assertThat(page.locator("#test-request-output"))
          .hasText("{\"id\": \"o-7\", \"env\": \"prod\"}");
      assertThat(page.locator("#test-response-status")).hasText("Status 404");
      assertThat(page.locator("#test-result")).containsText("x-kind: missing");
      assertThat(page.locator("#test-response-body")).containsText("\"missing\": \"o-7\"");
      owner.shoot("16-integration-test-panel");
      owner.signOut();
    }
  }

  /**
   * An owner ticks "skip verification" for an imported integration's backend and sees the page warn
   * once it is saved; unticks it and gives a private CA and a name to verify instead, and the
   * warning is gone while the CA is kept.
   */
  @Test
  void an_owner_is_warned_while_an_integration_skips_backend_verification_and_sets_a_private_ca()
      throws URISyntaxException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (OwnerBrowser owner =
        new OwnerBrowser(chromium, ConsoleEnvironment.base(cp), SCREENSHOTS)) {
      Page page = owner.page();
      owner.openWelcome();
      owner.signUp("owner-" + suffix, "console-test-" + suffix);
      owner.createOrganization("Backends Inc", "backends-" + suffix);
      owner.createApi("Pet Store", "pets");
      owner.importOpenApi(Path.of(getClass().getResource(PETSTORE_RESOURCE).toURI()));
      owner.navigate("APIs");
      page.getByText("Pet Store", new Page.GetByTextOptions().setExact(true)).click();
      // An http integration: the export also has mock ones, which call no backend, and the
      // table's order is not the document's (picking the first was flaky).
      String integration =
          page.locator("#integrations tr")
              .filter(new Locator.FilterOptions().setHasText("/petstore/pets"))
              .first()
              .locator("a[href*='/integrations/']")
              .getAttribute("href");
      page.navigate(ConsoleEnvironment.base(cp) + integration);
      assertThat(page.locator("#integration-tls-skip")).not().isChecked();
      assertThat(page.locator("#integration-tls [role=alert]")).hasCount(0);

      page.locator("#integration-tls-skip").check();
      page.getByText("Save integration").click();
      assertThat(page.locator("h1")).hasText("Pet Store");
      page.navigate(ConsoleEnvironment.base(cp) + integration);
      assertThat(page.locator("#integration-tls-skip")).isChecked();
      assertThat(page.locator("#integration-tls [role=alert]"))
          .containsText("insecureSkipVerification is on");
      owner.shoot("17-integration-tls-warning");

      page.locator("#integration-tls-skip").uncheck();
      page.getByLabel("Trusted CA certificates (PEM; empty for the public CAs)")
          .fill(dev.turnpike.testkit.tls.TestCertificates.authority("Pets CA").certificatePem());
      page.getByLabel("Server name to verify (empty for the URL's host)")
          .fill("pets.internal.example.com");
      page.getByText("Save integration").click();
      assertThat(page.locator("h1")).hasText("Pet Store");
      page.navigate(ConsoleEnvironment.base(cp) + integration);
      assertThat(page.locator("#integration-tls-skip")).not().isChecked();
      assertThat(page.locator("#integration-tls [role=alert]")).hasCount(0);
      assertThat(page.locator("#integration-tls-ca")).containsText("BEGIN CERTIFICATE");
      assertThat(page.locator("#integration-tls-name")).hasValue("pets.internal.example.com");
      owner.signOut();
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

    String deploymentKey = Topics.deploymentKey(tenantId, apiId, "prod");
    Await.until(
        Duration.ofSeconds(20),
        () ->
            kafka.readAll(Topics.DEPLOYMENTS, 1, Duration.ofSeconds(2)).stream()
                .anyMatch(r -> r.key().contains(apiId)),
        "the deployment of " + deploymentKey + " on " + Topics.DEPLOYMENTS);
  }
}
