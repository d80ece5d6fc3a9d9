package dev.turnpike.portal.web;

import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** Renders the portal's Thymeleaf pages from {@code templates/} on the classpath. */
public final class PageRenderer {
  private final TemplateEngine engine;

  public PageRenderer(boolean cacheTemplates) {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setPrefix("templates/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setCacheable(cacheTemplates);
    engine = new TemplateEngine();
    engine.setTemplateResolver(resolver);
  }

  public String render(String template, Map<String, Object> model) {
    return engine.process(template, new Context(Locale.ENGLISH, model));
  }
}
