package dev.turnpike.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromiumTest {
  @TempDir Path screenshots;

  @Test
  void renders_a_served_page_and_saves_screenshots_at_desktop_and_phone_width() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body =
        "<!doctype html><title>kit</title><h1 id=greeting>Hello from the kit</h1>"
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("content-type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (Chromium chromium = Chromium.launch();
        BrowserContext context = chromium.newContext(Chromium.DESKTOP)) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + server.getAddress().getPort() + "/");

      assertThat(page.textContent("#greeting")).isEqualTo("Hello from the kit");
      List<Path> files = Chromium.screenshots(page, screenshots, "kit");
      assertThat(files)
          .extracting(path -> path.getFileName().toString())
          .containsExactly("kit-desktop.png", "kit-phone.png");
      for (Path file : files) {
        assertThat(Files.size(file)).isPositive();
      }
    } finally {
      server.stop(0);
    }
  }
}
