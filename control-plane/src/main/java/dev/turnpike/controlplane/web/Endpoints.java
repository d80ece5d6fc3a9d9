package dev.turnpike.controlplane.web;

import io.vertx.ext.web.Router;

/** One feature's HTTP routes under {@code /v1}. */
public interface Endpoints {
  void mount(Router router);

  /** Routes anyone may call, mounted before bearer authentication; none by default. */
  default void mountPublic(Router router) {}

  /**
   * Body handlers of routes whose bodies may be larger (or must be smaller) than the API's general
   * limit, mounted before the general one: the first body handler a request meets reads its body.
   * None by default.
   */
  default void mountBodyHandlers(Router router) {}
}
