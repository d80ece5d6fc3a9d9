package dev.turnpike.controlplane.testing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.turnpike.testkit.browser.Chromium;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API owner in a real browser, walking the owner console through its links, forms and buttons
 * the way a person does; each step waits for the page it leads to. Saves desktop and phone
 * screenshots when given a folder.
 */
public final class OwnerBrowser implements AutoCloseable {
  private final BrowserContext context;
  private final Page page;
  private final String consoleBase;
  private final Path screenshots;

  /**
   * @param serverBase the control plane's address, e.g. {@code http://localhost:8080}
   * @param screenshots null for none
   */
  public OwnerBrowser(Chromium chromium, String serverBase, Path screenshots) {
    this.context = chromium.newContext(Chromium.DESKTOP);
    this.page = context.newPage();
    this.page.setDefaultTimeout(30_000);
    this.consoleBase = serverBase + "/console";
    this.screenshots = screenshots;
  }

  public Page page() {
    return page;
  }

  public void shoot(String name) {
    if (screenshots != null) {
      Chromium.screenshots(page, screenshots, name);
    }
  }

  public void openWelcome() {
    page.navigate(consoleBase + "/");
    assertThat(page.locator("h1")).hasText("Publish and sell your APIs");
  }

  /** From the welcome page: registers on the identity provider's form, lands on the org form. */
  public void signUp(String username, String password) {
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
  }

  /** Creates the owner's organization and returns its tenant id. */
  public String createOrganization(String name, String slug) {
    page.getByLabel("Name").fill(name);
    page.locator("#org-slug").fill(slug);
    page.getByText("Create organization").click();
    assertThat(page.locator("h1")).hasText("Dashboard");
    assertThat(page.locator(".org")).hasText(name);
    return page.url().replaceAll(".*/console/t/([0-9a-f-]{36})/.*", "$1");
  }

  public void navigate(String menuEntry) {
    page.locator("nav a", new Page.LocatorOptions().setHasText(menuEntry)).click();
  }

  /** Creates an API and lands on its page. */
  public void createApi(String name, String slug) {
    navigate("APIs");
    page.locator("#api-name").fill(name);
    page.locator("#api-slug").fill(slug);
    page.getByText("Create API", new Page.GetByTextOptions().setExact(true)).click();
    assertThat(page.locator("h1")).hasText(name);
  }

  /** From the API's page: uploads the document and lands on the import summary. */
  public void importOpenApi(Path document) {
    page.getByText("Import OpenAPI").click();
    assertThat(page.locator("h1")).hasText("Import an OpenAPI document");
    page.locator("#import-file").setInputFiles(document);
    shoot("04-import");
    page.getByText("Import", new Page.GetByTextOptions().setExact(true)).click();
    assertThat(page.locator("h1")).hasText("Document imported");
  }

  /** From the import summary: creates the stage and deploys the API to it. */
  public void deployToNewStage(String stage, String description) {
    page.getByText("Deploy it").click();
    page.locator("#stage-name").fill(stage);
    page.getByText("Create stage", new Page.GetByTextOptions().setExact(true)).click();
    page.locator("#deploy-description").fill(description);
    page.locator("form[action$='/deployments'] button").click();
    assertThat(page.locator("#stages table").first()).containsText("(" + description + ")");
  }

  /** From the API's page: replaces the stage's variables ({@code name=value} lines). */
  public void setStageVariables(String apiName, String stage, String variables) {
    page.getByLabel("Settings of stage " + stage).click();
    page.locator("#stage-variables").fill(variables);
    shoot("06b-stage");
    page.getByText("Save stage").click();
    assertThat(page.locator("h1")).hasText(apiName);
  }

  /**
   * A usage plan as the console's form takes it: throttle, quota and price, sold on one stage (its
   * label as the form shows it, e.g. {@code Pet Store / prod}).
   */
  public record Plan(
      String name,
      int ratePerSecond,
      int burst,
      long quota,
      String quotaPeriod,
      String pricingModel,
      String pricePerRequest,
      String stageLabel) {}

  /** Creates the plan and lands on the plan list, which shows it. */
  public void createPlan(Plan plan) {
    navigate("Usage plans");
    page.getByText("Create a usage plan").first().click();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("#plan-name", plan.name());
    fields.put("#plan-rate", Integer.toString(plan.ratePerSecond()));
    fields.put("#plan-burst", Integer.toString(plan.burst()));
    fields.put("#plan-quota", Long.toString(plan.quota()));
    fields.forEach((selector, value) -> page.locator(selector).fill(value));
    page.locator("#plan-period").selectOption(plan.quotaPeriod());
    page.locator("#plan-model").selectOption(plan.pricingModel());
    page.locator("#plan-unit").fill(plan.pricePerRequest());
    page.getByLabel(plan.stageLabel()).check();
    shoot("07-plan-form");
    page.getByText("Create plan").click();
    assertThat(page.locator("h1")).hasText("Usage plans");
    assertThat(page.locator("table")).containsText(plan.name());
    assertThat(page.locator("table")).containsText(plan.stageLabel());
  }

  public void signOut() {
    page.getByText("Sign out").click();
    assertThat(page.locator("h1")).hasText("Publish and sell your APIs");
  }

  @Override
  public void close() {
    context.close();
  }
}
