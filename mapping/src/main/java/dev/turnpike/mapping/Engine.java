package dev.turnpike.mapping;

import org.apache.velocity.runtime.RuntimeInstance;

/** The one Velocity runtime every template is parsed and rendered with. */
final class Engine {
  private static final RuntimeInstance RUNTIME = create();

  private Engine() {}

  static RuntimeInstance runtime() {
    return RUNTIME;
  }

  private static RuntimeInstance create() {
    RuntimeInstance runtime = new RuntimeInstance();
    // No resource loader: templates are strings, and #include / #parse of files find nothing.
    runtime.setProperty("resource.loaders", "string");
    runtime.setProperty(
        "resource.loader.string.class",
        "org.apache.velocity.runtime.resource.loader.StringResourceLoader");
    runtime.init();
    return runtime;
  }
}
