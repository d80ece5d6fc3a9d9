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
import java.util.function.LongSupplier;

/**
 * Renders templates so that no tenant's template can hold up the other requests an event loop
 * serves.
 *
 * <p>A template first renders on the caller's thread (the event loop) under a small {@link
 * #INLINE_BUDGET}: 2 ms, 2,000 steps, 64 KiB of output and of JSON, and only when its body is at
 * most {@link #INLINE_MAX_BODY_CHARS}. That is what the JSON work of a proxy integration costs on
 * the loop anyway, and it saves the two thread hops a worker rendering takes, which cost more CPU
 * than a typical template itself. A rendering that runs past that budget is rendered again on the
 * bounded, named worker pool under the full {@link TemplateBudget#DEFAULT} (renderings have no side
 * effects, so this is safe), and the template may be moved there for good:
 *
 * <ul>
 *   <li>at once when it ran past the steps, output or JSON: its own work, which a loaded machine
 *       does not change;
 *   <li>for {@link #TIME_PROBATION} after {@link #TIME_STRIKES} overruns of the time within {@link
 *       #STRIKE_WINDOW}: a rendering also runs out of time when its thread is taken off the CPU,
 *       and a cold JVM (the first renderings of a new node or deployment, interpreted) runs out of
 *       it again and again; such hiccups must not send a cheap template through the pool forever,
 *       so it gets another chance on the loop once the probation is over.
 * </ul>
 *
 * So a runaway template holds a loop for at most the inline budget a few times per node and
 * compiled template (five times 2 ms, then for one that is only slow, five times per probation),
 * and one that is slow only on some inputs for at most 2 ms a few times a second; otherwise it
 * costs only a worker thread, and the pool is bounded so templates cannot take every worker the
 * node has.
 */
public final class TemplateRenderer {
  /** The pool's name, as thread names and Vert.x's blocked-thread warnings show it. */
  public static final String POOL_NAME = "turnpike-templates";

  /** What a rendering may spend on an event loop before it is rendered again on a worker. */
  static final TemplateBudget INLINE_BUDGET =
      new TemplateBudget(Duration.ofMillis(2), 64 << 10, 2_000, 64 << 10);

  /** Larger bodies go to the workers directly: parsing them is work a loop should not do. */
  static final int INLINE_MAX_BODY_CHARS = 16 << 10;

  /** Time overruns within {@link #STRIKE_WINDOW} that move a template to the workers. */
  static final int TIME_STRIKES = 5;

  static final Duration STRIKE_WINDOW = Duration.ofSeconds(1);

  /** How long a template that ran out of time renders on the workers before it may try again. */
  static final Duration TIME_PROBATION = Duration.ofSeconds(30);

  private final WorkerExecutor workers;
  private final LongSupplier nanoTime;
  private final TemplateBudget inlineBudget;

  /**
   * The templates that ever ran past the inline budget, by identity; weak so a deployment's
   * templates leave with it, and bounded so a tenant redeploying runaway templates cannot grow it.
   * Templates that never overran have no entry, so the common rendering only looks it up.
   */
  private final Cache<MappingTemplate, Strikes> overruns =
      Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  public TemplateRenderer(WorkerExecutor workers) {
    this(workers, System::nanoTime, INLINE_BUDGET);
  }

  /** With another clock for the strikes and another inline budget, for tests. */
  TemplateRenderer(WorkerExecutor workers, LongSupplier nanoTime, TemplateBudget inlineBudget) {
    this.workers = workers;
    this.nanoTime = nanoTime;
    this.inlineBudget = inlineBudget;
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
      Rendered inline = renderSafely(template, input, inlineBudget);
      if (!(inline instanceof Rendered.Failed failed) || !failed.overBudget()) {
        return Future.succeededFuture(inline);
      }
      overruns.get(template, t -> new Strikes()).overran(failed.overrun(), nanoTime.getAsLong());
    }
    return workers.executeBlocking(
        () -> renderSafely(template, input, TemplateBudget.DEFAULT), false);
  }

  /** Whether {@code template} has been moved to the workers on this node. */
  boolean rendersOnWorkers(MappingTemplate template) {
    Strikes strikes = overruns.getIfPresent(template);
    return strikes != null && strikes.onWorkers(nanoTime);
  }

  private boolean mayRenderInline(MappingTemplate template, TemplateInput input) {
    String body = input.body();
    return (body == null || body.length() <= INLINE_MAX_BODY_CHARS) && !rendersOnWorkers(template);
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

  /** One template's overruns of the inline budget; rare, so a lock is cheap enough. */
  private static final class Strikes {
    private final long[] timeOverruns = new long[TIME_STRIKES];
    private long count;
    private volatile boolean forGood;
    private volatile boolean onProbation;
    private volatile long probationEndNanos;

    /** Reads the clock only for a template on probation: the others answer from one field. */
    boolean onWorkers(LongSupplier nanoTime) {
      return forGood || (onProbation && nanoTime.getAsLong() - probationEndNanos < 0);
    }

    synchronized void overran(Rendered.Overrun overrun, long nowNanos) {
      if (overrun != Rendered.Overrun.TIME) {
        forGood = true;
        return;
      }
      // A ring of the last TIME_STRIKES overruns; once full, the next slot holds the oldest.
      timeOverruns[(int) (count % TIME_STRIKES)] = nowNanos;
      count++;
      if (count >= TIME_STRIKES
          && nowNanos - timeOverruns[(int) (count % TIME_STRIKES)] <= STRIKE_WINDOW.toNanos()) {
        // After the probation the template starts with a clean record: five new overruns.
        count = 0;
        probationEndNanos = nowNanos + TIME_PROBATION.toNanos();
        onProbation = true;
      }
    }
  }
}
