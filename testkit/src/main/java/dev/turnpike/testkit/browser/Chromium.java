package dev.turnpike.testkit.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operating system's Chromium driven by Playwright, for page tests. Playwright's own browser
 * download cannot work here, so it is switched off and the Debian {@code chromium} package is used
 * ({@code .ci/run} installs it when missing); the system property {@code turnpike.chromium} names
 * another executable.
 */
public final class Chromium implements AutoCloseable {
  /** A desktop viewport and a phone-width one, for screenshots of each page at both sizes. */
  public static final Viewport DESKTOP = new Viewport("desktop", 1280, 800);

  public static final Viewport PHONE = new Viewport("phone", 390, 844);

  private static final List<String> ARGS =
      List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking");

  private final Playwright playwright;
  private final Browser browser;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Starts a headless Chromium; fails with what to install when there is none. */
  public static Chromium launch() {
    Path executable = executable();
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException(
          "no Chromium at "
              + executable
              + ": install the 'chromium' package (apt-get install chromium) or set"
              + " -Dturnpike.chromium=/path/to/chromium");
    }
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ARGS));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  public static Path executable() {
    return Path.of(System.getProperty("turnpike.chromium", "/usr/bin/chromium"));
  }

  /** A fresh browser context (its own cookies) with the given viewport. */
  public BrowserContext newContext(Viewport viewport) {
    return browser.newContext(
        new Browser.NewContextOptions().setViewportSize(viewport.width(), viewport.height()));
  }

  /**
   * Saves a full-page screenshot as {@code <folder>/<name>-<viewport>.png} at both sizes, resizing
   * the page and restoring its size, so a person can look at each page on a desktop and a phone.
   */
  public static List<Path> screenshots(Page page, Path folder, String name) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var original = page.viewportSize();
    List<Path> saved =
        List.of(DESKTOP, PHONE).stream()
            .map(
                viewport -> {
                  page.setViewportSize(viewport.width(), viewport.height());
                  Path file = folder.resolve(name + "-" + viewport.name() + ".png");
                  page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
                  return file;
                })
            .toList();
    if (original != null) {
      page.setViewportSize(original.width, original.height);
    }
    return saved;
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }

  /** A named screen size. */
  public record Viewport(String name, int width, int height) {}
}
