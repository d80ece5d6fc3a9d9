package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One compiled template, as a deployment holds it, rendered by many threads at once. */
class MappingTemplateConcurrencyTest {
  private static final TemplateBudget RELAXED =
      TemplateBudget.DEFAULT.withTime(Duration.ofSeconds(30));
  private static final int THREADS = 8;
  private static final int RENDERS = 300;

  private static final MappingTemplate TEMPLATE =
      MappingTemplate.compile(
          """
          #set($root = $input.path('$'))
          #foreach($item in $root.items)$item.n:$context.requestId:$input.params('who')#if($foreach.hasNext),#end#end
          #if($root.items.size() > 2)#set($context.responseOverride.status = 201)#end
          """);

  @Test
  void renders_one_compiled_template_from_many_threads_without_mixing_renderings()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(pool.submit(() -> renderMany(thread, start)));
      }
      start.countDown();
      for (Future<List<String>> result : results) {
        assertThat(result.get(2, TimeUnit.MINUTES)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * @return the renderings that were not what their own input makes
   */
  private static List<String> renderMany(int thread, CountDownLatch start) throws Exception {
    start.await();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < RENDERS; i++) {
      int items = 1 + (thread + i) % 4;
      StringBuilder body = new StringBuilder("{\"items\":[");
      StringBuilder expected = new StringBuilder();
      for (int k = 0; k < items; k++) {
        int n = thread * 100_000 + i * 10 + k;
        body.append(k == 0 ? "" : ",").append("{\"n\":").append(n).append('}');
        expected
            .append(k == 0 ? "" : ",")
            .append(n)
            .append(":r-")
            .append(thread)
            .append('-')
            .append(i)
            .append(":t")
            .append(thread);
      }
      body.append("]}");
      TemplateInput input =
          new TemplateInput(
              body.toString(),
              null,
              Map.of("who", "t" + thread),
              null,
              Map.of("requestId", "r-" + thread + "-" + i),
              null);
      // The line ends with a directive, which takes its newline.
      Rendered want = new Rendered.Text(expected.toString(), items > 2 ? 201 : null, Map.of());
      Rendered got = TEMPLATE.render(input, RELAXED);
      if (!want.equals(got)) {
        wrong.add("thread " + thread + " render " + i + ": " + got + " instead of " + want);
      }
    }
    return wrong;
  }
}
