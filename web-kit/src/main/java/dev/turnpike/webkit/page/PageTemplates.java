package dev.turnpike.webkit.page;

import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * A web application's Thymeleaf pages, read as UTF-8 HTML from one folder on the classpath. The
 * console and the portal render through it alike: in HTML mode Thymeleaf escapes everything a page
 * prints with {@code th:text}, so a value a tenant or developer typed never becomes markup.
 */
public final class PageTemplates {
  private final TemplateEngine engine;

  /**
   * @param folder the classpath folder holding {@code <name>.html}, e.g. {@code templates/}
   * @param cache whether a page is parsed once (production) or on every render (editing pages)
   */
  public PageTemplates(ClassLoader loader, String folder, boolean cache) {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(loader);
    resolver.setPrefix(folder.endsWith("/") ? folder : folder + "/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setCacheable(cache);
    engine = new TemplateEngine();
    engine.setTemplateResolver(resolver);
  }

  /** The page {@code name} rendered with {@code model}'s variables, in English. */
  public String render(String name, Map<String, Object> model) {
    return engine.process(name, new Context(Locale.ENGLISH, model));
  }
}
