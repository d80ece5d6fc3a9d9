package dev.turnpike.gateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import dev.turnpike.mapping.TemplateInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Small templates render at once on the caller's thread; a template that runs past the inline
 * budget still gets its full budget on the workers, and never renders on the caller's thread again.
 */
class TemplateRendererTest {
  /** Runs into the deadline on any machine: a backtracking match of 2^56 paths. */
  private static final String SLOW =
      "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')"
          + "$s.matches('(.*a){20}b')";

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong nanos = new AtomicLong();

  /** The node's inline budget, whose 2 ms a test's templates overrun on purpose. */
  private final TemplateRenderer timed =
      new TemplateRenderer(
          vertx.createSharedWorkerExecutor(TemplateRenderer.POOL_NAME, 2),
          nanos::get,
          TemplateRenderer.INLINE_BUDGET);

  /**
   * The inline budget with time to spare, so that a loaded machine or a cold JVM cannot end a
   * rendering by its clock before its steps or output do.
   */
  private final TemplateRenderer renderer =
      new TemplateRenderer(
          vertx.createSharedWorkerExecutor(TemplateRenderer.POOL_NAME, 2),
          nanos::get,
          TemplateRenderer.INLINE_BUDGET.withTime(Duration.ofSeconds(20)));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static TemplateInput input(String body) {
    return new TemplateInput(body, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * Holds both of the pool's threads until the returned latch opens, so that a rendering sent to
   * the workers cannot finish before the test has looked at it.
   */
  private CountDownLatch holdTheWorkers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(2);
    WorkerExecutor pool = vertx.createSharedWorkerExecutor(TemplateRenderer.POOL_NAME, 2);
    for (int i = 0; i < 2; i++) {
      pool.executeBlocking(
          () -> {
            held.countDown();
            return release.await(20, TimeUnit.SECONDS);
          },
          false);
    }
    assertThat(held.await(20, TimeUnit.SECONDS)).as("both workers held").isTrue();
    return release;
  }

  private static Rendered await(Future<Rendered> rendering) throws Exception {
    return rendering.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void a_small_template_renders_on_the_callers_thread() throws Exception {
    MappingTemplate template = MappingTemplate.compile("{\"name\": \"$input.path('$.name')\"}");

    Future<Rendered> rendering = renderer.render(template, input("{\"name\":\"cat\"}"));

    assertThat(rendering.isComplete()).isTrue();
    assertThat(await(rendering)).isEqualTo(new Rendered.Text("{\"name\": \"cat\"}"));
    assertThat(renderer.rendersOnWorkers(template)).isFalse();
  }

  @Test
  void a_template_past_the_inline_budget_is_rendered_again_on_the_workers_with_the_full_budget()
      throws Exception {
    // 5,000 loop turns: past the inline budget's 2,000 steps, well within the default 100,000.
    MappingTemplate template =
        MappingTemplate.compile("#set($n = 0)#foreach($i in [1..5000])#set($n = $i)#end$n");

    Rendered rendered = await(renderer.render(template, input("{}")));

    assertThat(rendered).isEqualTo(new Rendered.Text("5000"));
    assertThat(renderer.rendersOnWorkers(template)).isTrue();
  }

  /** Attack: a tenant's endless template holds an event loop once, for the inline budget only. */
  @Test
  void a_runaway_template_fails_and_stays_off_the_callers_thread() throws Exception {
    MappingTemplate runaway = MappingTemplate.compile("#foreach($i in [0..2147483647])#end");

    Rendered first = await(renderer.render(runaway, input("{}")));
    CountDownLatch release = holdTheWorkers();
    Future<Rendered> second = renderer.render(runaway, input("{}"));

    assertThat(first).isInstanceOf(Rendered.Failed.class);
    assertThat(((Rendered.Failed) first).overBudget()).isTrue();
    assertThat(renderer.rendersOnWorkers(runaway)).isTrue();
    assertThat(second.isComplete()).as("the second rendering waits for a worker").isFalse();
    release.countDown();
    assertThat(await(second)).isInstanceOf(Rendered.Failed.class);
  }

  /** Attack: a template that always runs out of time holds a loop a few times only. */
  @Test
  void a_template_out_of_time_again_and_again_moves_to_the_workers() throws Exception {
    MappingTemplate slow = MappingTemplate.compile(SLOW);

    for (int i = 1; i < TemplateRenderer.TIME_STRIKES; i++) {
      Rendered rendered = await(timed.render(slow, input("{}")));
      assertThat(((Rendered.Failed) rendered).overrun()).isEqualTo(Rendered.Overrun.TIME);
      assertThat(timed.rendersOnWorkers(slow)).as("after %d overruns", i).isFalse();
      nanos.addAndGet(Duration.ofMillis(100).toNanos());
    }
    await(timed.render(slow, input("{}")));

    assertThat(timed.rendersOnWorkers(slow)).isTrue();
  }

  /**
   * A cheap template that ran out of time on a cold JVM (its first renderings interpreted, five in
   * a second at once under load) renders on the loop again after the probation.
   */
  @Test
  void a_template_moved_for_time_overruns_tries_the_callers_thread_again_after_the_probation()
      throws Exception {
    MappingTemplate slow = MappingTemplate.compile(SLOW);
    for (int i = 0; i < TemplateRenderer.TIME_STRIKES; i++) {
      await(timed.render(slow, input("{}")));
    }
    assertThat(timed.rendersOnWorkers(slow)).isTrue();

    nanos.addAndGet(TemplateRenderer.TIME_PROBATION.toNanos() - 1);
    assertThat(timed.rendersOnWorkers(slow)).as("within the probation").isTrue();
    nanos.addAndGet(1);
    assertThat(timed.rendersOnWorkers(slow)).as("after the probation").isFalse();

    // Tried on the loop again: only a rendering there can overrun the inline budget, and the
    // record starts clean, so it takes five new overruns to move it back.
    for (int i = 1; i < TemplateRenderer.TIME_STRIKES; i++) {
      await(timed.render(slow, input("{}")));
      assertThat(timed.rendersOnWorkers(slow)).as("after %d new overruns", i).isFalse();
    }
    await(timed.render(slow, input("{}")));
    assertThat(timed.rendersOnWorkers(slow)).isTrue();
  }

  /** A template past its steps moved for good: no probation brings it back to the loop. */
  @Test
  void a_template_moved_for_its_own_work_stays_on_the_workers_after_any_time() throws Exception {
    MappingTemplate template =
        MappingTemplate.compile("#set($n = 0)#foreach($i in [1..5000])#set($n = $i)#end$n");
    await(renderer.render(template, input("{}")));

    nanos.addAndGet(10 * TemplateRenderer.TIME_PROBATION.toNanos());

    assertThat(renderer.rendersOnWorkers(template)).isTrue();
  }

  /** A cheap template a loaded machine now and then takes off the CPU stays on the loop. */
  @Test
  void time_overruns_far_apart_leave_a_template_on_the_callers_thread() throws Exception {
    MappingTemplate slow = MappingTemplate.compile(SLOW);

    for (int i = 0; i < 2 * TemplateRenderer.TIME_STRIKES; i++) {
      await(timed.render(slow, input("{}")));
      nanos.addAndGet(TemplateRenderer.STRIKE_WINDOW.toNanos());
    }

    assertThat(timed.rendersOnWorkers(slow)).isFalse();
  }

  @Test
  void a_failure_on_the_input_is_answered_at_once_without_a_worker() throws Exception {
    MappingTemplate template = MappingTemplate.compile("$util.parseJson('not json')");

    Future<Rendered> rendering = renderer.render(template, input("{}"));

    assertThat(rendering.isComplete()).isTrue();
    assertThat(await(rendering)).isInstanceOf(Rendered.Failed.class);
    assertThat(renderer.rendersOnWorkers(template)).isFalse();
  }

  @Test
  void a_large_body_is_rendered_on_the_workers() throws Exception {
    MappingTemplate template = MappingTemplate.compile("$input.path('$.a').length()");
    String body = "{\"a\":\"" + "x".repeat(TemplateRenderer.INLINE_MAX_BODY_CHARS) + "\"}";
    CountDownLatch release = holdTheWorkers();

    Future<Rendered> rendering = renderer.render(template, input(body));

    assertThat(rendering.isComplete()).as("waits for a worker").isFalse();
    release.countDown();
    assertThat(await(rendering))
        .isEqualTo(new Rendered.Text(String.valueOf(TemplateRenderer.INLINE_MAX_BODY_CHARS)));
  }
}
