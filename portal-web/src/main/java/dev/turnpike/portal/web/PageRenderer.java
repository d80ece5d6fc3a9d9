package dev.turnpike.portal.web;

import dev.turnpike.webkit.page.PageTemplates;
import java.util.Map;

/** Renders the portal's Thymeleaf pages from {@code templates/} on the classpath. */
public final class PageRenderer {
  private final PageTemplates pages;

  public PageRenderer(boolean cacheTemplates) {
    pages = new PageTemplates(PageRenderer.class.getClassLoader(), "templates/", cacheTemplates);
  }

  public String render(String template, Map<String, Object> model) {
    return pages.render(template, model);
  }
}
