package dev.turnpike.gateway.template;

import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import dev.turnpike.mapping.TemplateInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Renders templates on a bounded, named worker pool, never on an event loop: a template is a
 * tenant's program, and even within the engine's time budget one slow template must not hold up the
 * other requests an event loop serves. The pool is bounded so templates cannot take every worker
 * thread the node has; the engine's own budget bounds how long each rendering holds one. The future
 * completes back on the caller's event loop.
 */
public final class TemplateRenderer {
  /** The pool's name, as thread names and Vert.x's blocked-thread warnings show it. */
  public static final String POOL_NAME = "turnpike-templates";

  private final WorkerExecutor workers;

  public TemplateRenderer(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** The node's pool of {@code threads} template workers (shared by name within {@code vertx}). */
  public static TemplateRenderer pool(Vertx vertx, int threads) {
    return new TemplateRenderer(vertx.createSharedWorkerExecutor(POOL_NAME, threads));
  }

  /** The rendering, a {@link Rendered.Failed} for anything the engine throws. */
  public Future<Rendered> render(MappingTemplate template, TemplateInput input) {
    return workers.executeBlocking(() -> renderSafely(template, input), false);
  }

  static Rendered renderSafely(MappingTemplate template, TemplateInput input) {
    try {
      Rendered rendered = template.render(input);
      return rendered == null ? new Rendered.Failed("the engine rendered nothing") : rendered;
    } catch (RuntimeException e) {
      return new Rendered.Failed(e.toString());
    }
  }
}
