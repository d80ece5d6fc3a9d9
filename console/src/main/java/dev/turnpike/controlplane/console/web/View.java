package dev.turnpike.controlplane.console.web;

import java.util.HashMap;
import java.util.Map;

/**
 * What a console handler answers: a template with its model and status, or a redirect (303, so a
 * form POST is followed by a GET and a reload never submits twice), optionally with a message the
 * next page shows once (a flash message).
 */
public record View(String template, Map<String, Object> model, int status, String redirect) {
  private static final String FLASH = "flash";

  public static View page(String template) {
    return new View(template, new HashMap<>(), 200, null);
  }

  public static View redirect(String location) {
    return new View(null, Map.of(), 303, location);
  }

  /** A redirect whose target page shows {@code flash} once, e.g. "API Pets was deleted." */
  public static View redirect(String location, String flash) {
    return new View(null, Map.of(FLASH, flash), 303, location);
  }

  /** The message a redirect carries to the next page, or null. */
  public String flash() {
    return isRedirect() ? (String) model.get(FLASH) : null;
  }

  public View with(String name, Object value) {
    model.put(name, value);
    return this;
  }

  public View status(int code) {
    return new View(template, model, code, redirect);
  }

  public boolean isRedirect() {
    return redirect != null;
  }
}
