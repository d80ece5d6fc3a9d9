package dev.turnpike.controlplane.console.web;

import java.util.HashMap;
import java.util.Map;

/**
 * What a console handler answers: a template with its model and status, or a redirect (303, so a
 * form POST is followed by a GET and a reload never submits twice).
 */
public record View(String template, Map<String, Object> model, int status, String redirect) {
  public static View page(String template) {
    return new View(template, new HashMap<>(), 200, null);
  }

  public static View redirect(String location) {
    return new View(null, Map.of(), 303, location);
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
