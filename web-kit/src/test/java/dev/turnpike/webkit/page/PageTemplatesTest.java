package dev.turnpike.webkit.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PageTemplatesTest {
  final PageTemplates pages =
      new PageTemplates(PageTemplatesTest.class.getClassLoader(), "pages-test", true);

  @Test
  void renders_a_page_from_its_folder_with_the_model() {
    assertThat(pages.render("greeting", Map.of("name", "Ada"))).contains("<p>Ada</p>");
  }

  @Test
  void escapes_what_a_page_prints_so_typed_markup_stays_text() {
    String html = pages.render("greeting", Map.of("name", "<script>alert(1)</script>"));

    assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }
}
