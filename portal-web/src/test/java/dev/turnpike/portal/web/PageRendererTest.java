package dev.turnpike.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PageRendererTest {
  private final PageRenderer renderer = new PageRenderer(true);

  @Test
  void error_page_shows_the_message_a_person_can_read() {
    String html =
        renderer.render(
            "error", Map.of("title", "Key not found", "message", "That key was revoked."));
    assertThat(html).contains("<h1>Key not found</h1>").contains("That key was revoked.");
  }

  @Test
  void user_supplied_text_is_escaped() {
    String html =
        renderer.render("error", Map.of("title", "Oops", "message", "<script>alert('x')</script>"));
    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
  }
}
