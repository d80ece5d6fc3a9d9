package dev.turnpike.gateway.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import dev.turnpike.mapping.TemplateBudget;
import dev.turnpike.mapping.TemplateInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;

/**
 * Renders templates so that no tenant's template can hold up the other requests an event loop
 * serves.
 *
 * <p>A template first renders on the caller's thread (the event loop) under a small {@link
 * #INLINE_BUDGET}: 1 ms, 2,000 steps, 64 KiB of output and of JSON, and only when its body is at
 * most {@link #INLINE_MAX_BODY_CHARS}. That is what the JSON work of a proxy integration costs on
 * the loop anyway, and it saves the two thread hops a worker rendering takes, which cost more CPU
 * than a typical template itself. A template that runs past that budget even once is sent to the
 * bounded, named worker pool from then on: its overrunning rendering is rendered again there under
 * the full {@link TemplateBudget#DEFAULT} (renderings have no side effects, so this is safe), and
 * every later one starts there. So a runaway template stalls a loop at most once, for at most the
 * inline budget, per node and compiled template; after that it costs only a worker thread, and the
 * pool is bounded so templates cannot take every worker the node has.
 */
public final class TemplateRenderer {
  /** The pool's name, as thread names and Vert.x's blocked-thread warnings show it. */
  public static final String POOL_NAME = "turnpike-templates";

  /** What a rendering may spend on an event loop before the template moves to the workers. */
  static final TemplateBudget INLINE_BUDGET =
      new TemplateBudget(Duration.ofMillis(1), 64 << 10, 2_000, 64 << 10);

  /** Larger bodies go to the workers directly: parsing them is work a loop should not do. */
  static final int INLINE_MAX_BODY_CHARS = 16 << 10;

  private final WorkerExecutor workers;

  /**
   * Templates that ran past the inline budget, by identity; weak so a deployment's templates leave
   * with it, and bounded so a tenant redeploying runaway templates cannot grow it.
   */
  private final Cache<MappingTemplate, Boolean> workerOnly =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  public TemplateRenderer(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** The node's pool of {@code threads} template workers (shared by name within {@code vertx}). */
  public static TemplateRenderer pool(Vertx vertx, int threads) {
    return new TemplateRenderer(vertx.createSharedWorkerExecutor(POOL_NAME, threads));
  }

  /**
   * The rendering, a {@link Rendered.Failed} for anything the engine throws. Completes on the
   * caller's thread when the template rendered there, else back on the caller's event loop.
   */
  public Future<Rendered> render(MappingTemplate template, TemplateInput input) {
    if (mayRenderInline(template, input)) {
      Rendered inline = renderSafely(template, input, INLINE_BUDGET);
      if (!(inline instanceof Rendered.Failed failed && failed.overBudget())) {
        return Future.succeededFuture(inline);
      }
      workerOnly.put(template, Boolean.TRUE);
    }
    return workers.executeBlocking(
        () -> renderSafely(template, input, TemplateBudget.DEFAULT), false);
  }

  /** Whether {@code template} has run past the inline budget on this node. */
  boolean rendersOnWorkers(MappingTemplate template) {
    return workerOnly.getIfPresent(template) != null;
  }

  private boolean mayRenderInline(MappingTemplate template, TemplateInput input) {
    String body = input.body();
    return (body == null || body.length() <= INLINE_MAX_BODY_CHARS)
        && workerOnly.getIfPresent(template) == null;
  }

  private static Rendered renderSafely(
      MappingTemplate template, TemplateInput input, TemplateBudget budget) {
    try {
      Rendered rendered = template.render(input, budget);
      return rendered == null ? new Rendered.Failed("the engine rendered nothing") : rendered;
    } catch (RuntimeException e) {
      return new Rendered.Failed(e.toString());
    }
  }
}
