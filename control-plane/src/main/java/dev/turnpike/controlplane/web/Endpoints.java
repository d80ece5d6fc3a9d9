package dev.turnpike.controlplane.web;

import io.vertx.ext.web.Router;

/** One feature's HTTP routes under {@code /v1}. */
public interface Endpoints {
  void mount(Router router);

  /** Routes anyone may call, mounted before bearer authentication; none by default. */
  default void mountPublic(Router router) {}
}
