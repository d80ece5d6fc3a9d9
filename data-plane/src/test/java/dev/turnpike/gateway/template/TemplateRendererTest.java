package dev.turnpike.gateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.mapping.MappingTemplate;
import dev.turnpike.mapping.Rendered;
import dev.turnpike.mapping.TemplateInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Small templates render at once on the caller's thread; a template that runs past the inline
 * budget still gets its full budget on the workers, and never renders on the caller's thread again.
 */
class TemplateRendererTest {
  private final Vertx vertx = Vertx.vertx();
  private final TemplateRenderer renderer = TemplateRenderer.pool(vertx, 2);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static TemplateInput input(String body) {
    return new TemplateInput(body, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
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
    Future<Rendered> second = renderer.render(runaway, input("{}"));

    assertThat(first).isInstanceOf(Rendered.Failed.class);
    assertThat(((Rendered.Failed) first).overBudget()).isTrue();
    assertThat(renderer.rendersOnWorkers(runaway)).isTrue();
    assertThat(second.isComplete()).as("the second rendering waits for a worker").isFalse();
    assertThat(await(second)).isInstanceOf(Rendered.Failed.class);
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

    Future<Rendered> rendering = renderer.render(template, input(body));

    assertThat(rendering.isComplete()).isFalse();
    assertThat(await(rendering))
        .isEqualTo(new Rendered.Text(String.valueOf(TemplateRenderer.INLINE_MAX_BODY_CHARS)));
  }
}
