package dev.turnpike.portal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.turnpike.testkit.browser.Chromium;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One developer in a real browser, walking the portal's pages the way a person does: through the
 * links, forms and buttons by their visible labels. Saves desktop and phone screenshots of the
 * pages it visits when given a folder.
 */
public final class DeveloperBrowser implements AutoCloseable {
  /** The password of every developer a test signs up (the realm asks for 12 characters). */
  public static final String PASSWORD = "correct-horse-battery";

  private final BrowserContext context;
  private final Page page;
  private final String portalUrl;
  private final Path screenshots;
  public final String username;

  /**
   * @param portalUrl e.g. {@code http://localhost:1234/portal/acme}
   * @param screenshots null for none
   */
  public DeveloperBrowser(Chromium chromium, String portalUrl, Path screenshots) {
    this.context = chromium.newContext(Chromium.DESKTOP);
    this.page = context.newPage();
    this.portalUrl = portalUrl;
    this.screenshots = screenshots;
    this.username = "dev-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public Page page() {
    return page;
  }

  public BrowserContext context() {
    return context;
  }

  public void shoot(String name) {
    if (screenshots != null) {
      Chromium.screenshots(page, screenshots, name);
    }
  }

  public void open(String path) {
    page.navigate(portalUrl + path);
  }

  /** Signs up on the identity provider's registration page and completes the portal profile. */
  public void signUpAndRegister(String company) {
    open("");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign up")).click();
    page.locator("#username").fill(username);
    page.locator("#email").fill(username + "@example.com");
    page.locator("#firstName").fill("Dev");
    page.locator("#lastName").fill(username);
    page.locator("#password").fill(PASSWORD);
    page.locator("#password-confirm").fill(PASSWORD);
    page.locator("input[type=submit], button[type=submit]").first().click();
    page.waitForURL("**/profile?welcome=1");
    assertThat(page.locator("h1").textContent()).contains("Complete your developer profile");
    page.getByLabel("Company").fill(company);
    shoot("profile");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create profile")).click();
    page.waitForURL("**/apps");
  }

  /** Creates an app from the apps page and lands on its page; returns its id. */
  public String createApp(String name) {
    open("/apps");
    page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create app")).click();
    page.waitForURL("**/apps/*");
    String url = page.url();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  public void subscribe(String planName) {
    page.getByLabel("Plan")
        .selectOption(
            new com.microsoft.playwright.options.SelectOption().setLabel(optionLabel(planName)));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Subscribe")).click();
  }

  private String optionLabel(String planName) {
    for (Locator option : page.getByLabel("Plan").locator("option").all()) {
      String text = option.textContent().strip();
      if (text.startsWith(planName + " ")) {
        return text;
      }
    }
    throw new AssertionError(
        "no plan option " + planName + " in " + page.getByLabel("Plan").innerHTML());
  }

  /**
   * From the portal's checkout page (where subscribing to a paid plan leads): continues to the
   * hosted checkout, pays there and waits to be sent back to the portal.
   */
  public void payAtCheckout() {
    page.waitForURL("**/checkout");
    shoot("checkout");
    page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue to secure checkout"))
        .click();
    page.locator("#pay").click();
    page.waitForURL(url -> url.contains("paid=1"));
  }

  /**
   * From the portal's checkout page, pays by bank debit on the hosted checkout: the session
   * completes with the payment still unsettled. Returns the Checkout Session's id.
   */
  public String payByBankDebitAtCheckout() {
    page.waitForURL("**/checkout");
    String href = page.locator("#checkout-link").getAttribute("href");
    page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue to secure checkout"))
        .click();
    page.locator("#pay-later").click();
    page.waitForURL(url -> url.contains("paid=1"));
    return href.substring(href.lastIndexOf('/') + 1);
  }

  /** On the app's page: presses "Pay" for a subscription waiting for payment. */
  public void payFor(String planName) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pay for " + planName))
        .click();
    page.waitForURL("**/checkout");
  }

  /** The app page's entry for the subscription to a plan. */
  public Locator subscription(String planName) {
    return page.locator("li[data-plan='" + planName + "']");
  }

  /** Creates a key and returns the full key, read from the once-only box. */
  public String createKey(String name) {
    page.getByLabel("Key name").fill(name);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
    Locator value = page.locator("#new-key-value");
    value.waitFor();
    return value.inputValue();
  }

  public void revokeKey(String prefix) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke key " + prefix))
        .click();
    page.waitForSelector(".flash");
  }

  @Override
  public void close() {
    context.close();
  }
}
