package dev.turnpike.gateway.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeldRefusalsTest {
  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One answer as it ran: which hold it was, when, on which context, in which wake-up. */
  record Answered(int index, long afterNanos, Context context, long wakeUp) {}

  @Test
  void refusals_due_within_one_tick_are_answered_in_one_wake_up_never_before_their_time()
      throws Exception {
    HeldRefusals held = new HeldRefusals(Duration.ofMillis(50));
    Context context = vertx.getOrCreateContext();
    int refusals = 40;
    ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(refusals);
    List<Long> holds = new ArrayList<>();
    for (int i = 0; i < refusals; i++) {
      holds.add(1L + (i * 7L) % 120); // 1 to 120 ms, out of order
    }
    long[] wakeUps = new long[1];
    context.runOnContext(
        ignored -> {
          long start = System.nanoTime();
          for (int i = 0; i < refusals; i++) {
            int index = i;
            held.hold(
                context,
                holds.get(i),
                () -> {
                  answered.add(
                      new Answered(
                          index,
                          System.nanoTime() - start,
                          Vertx.currentContext(),
                          held.wakeUpsOnThisLoop()));
                  wakeUps[0] = held.wakeUpsOnThisLoop();
                  done.countDown();
                });
          }
        });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    for (Answered answer : answered) {
      assertThat(answer.afterNanos())
          .as("refusal %d held %d ms", answer.index(), holds.get(answer.index()))
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(holds.get(answer.index())));
      assertThat(answer.context()).isSameAs(context);
    }
    // 120 ms of holds on 50 ms ticks: at most 4 ticks (their boundaries need not align with the
    // start), where a timer per refusal would wake the loop 40 times.
    assertThat(wakeUps[0]).isBetween(1L, 4L);
    assertThat(answered.stream().map(Answered::wakeUp).distinct().count()).isLessThanOrEqualTo(4);
  }

  @Test
  void a_shorter_hold_after_a_longer_one_is_answered_first() throws Exception {
    HeldRefusals held = new HeldRefusals(Duration.ofMillis(10));
    Context context = vertx.getOrCreateContext();
    ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(2);
    context.runOnContext(
        ignored -> {
          held.hold(context, 2_000, () -> order.add("long"));
          held.hold(context, 5, () -> order.add("short"));
          held.hold(context, 2_000, done::countDown);
          held.hold(context, 5, done::countDown);
        });

    CompletableFuture<Void> shortOne = new CompletableFuture<>();
    vertx.setPeriodic(
        5,
        id -> {
          if (order.contains("short")) {
            shortOne.complete(null);
            vertx.cancelTimer(id);
          }
        });
    shortOne.get(1, TimeUnit.SECONDS);
    assertThat(order).containsExactly("short");
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("short", "long");
  }

  @Test
  void each_answer_runs_on_the_context_of_its_own_request() throws Exception {
    HeldRefusals held = new HeldRefusals(Duration.ofMillis(10));
    // Two contexts on the one event loop, as two requests' (duplicated) contexts are.
    ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
    Context first = loop.duplicate();
    Context second = loop.duplicate();
    CompletableFuture<Context> firstRan = new CompletableFuture<>();
    CompletableFuture<Context> secondRan = new CompletableFuture<>();
    first.runOnContext(
        ignored -> {
          held.hold(first, 3, () -> firstRan.complete(Vertx.currentContext()));
          held.hold(second, 3, () -> secondRan.complete(Vertx.currentContext()));
        });

    assertThat(firstRan.get(5, TimeUnit.SECONDS)).isSameAs(first);
    assertThat(secondRan.get(5, TimeUnit.SECONDS)).isSameAs(second);
  }

  @Test
  void a_hold_off_an_event_loop_gets_a_timer_of_its_own() throws Exception {
    HeldRefusals held = new HeldRefusals(HeldRefusals.TICK);
    CompletableFuture<Long> ran = new CompletableFuture<>();
    long start = System.nanoTime();
    held.hold(vertx.getOrCreateContext(), 20, () -> ran.complete(System.nanoTime() - start));

    assertThat(ran.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(20_000_000L);
  }

  @Test
  void a_tick_under_a_millisecond_is_refused() {
    assertThatThrownBy(() -> new HeldRefusals(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 ms");
  }
}
