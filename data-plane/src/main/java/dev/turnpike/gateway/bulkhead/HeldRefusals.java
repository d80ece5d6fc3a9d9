package dev.turnpike.gateway.bulkhead;

import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Holds the refusals {@link RefusalPacing} paces until their turn, and answers them together on a
 * coarse tick of each event loop.
 *
 * <p>Why ticks: a refusal answered by a timer of its own wakes its event loop once for the answer,
 * and again when the client's next request comes back at once; those wake-ups, not the refusals,
 * were most of what a paced flooding tenant cost the node. Released on ticks, one wake-up answers
 * every refusal of that loop due by then, and their clients' next requests arrive together ({@code
 * infra/bench/run.sh bulkhead}, a tenant paced to 1,143 answers a second, its cost to the node's
 * core in the medians of two runs each: 7.0 and 9.9% with a timer per refusal, 1.4 and 4.9% on
 * ticks). A refusal waits at most one tick longer than its pace says, and never less.
 *
 * <p>Each event loop has its own queue, used only on its thread: no lock. A hold from a thread that
 * is not an event loop gets a timer of its own.
 */
public final class HeldRefusals {
  /** The tick of a node: a hundred wake-ups a second per loop at most, whatever a tenant sends. */
  public static final Duration TICK = Duration.ofMillis(10);

  private final long tickNanos;
  private final FastThreadLocal<LoopQueue> queues = new FastThreadLocal<>();

  public HeldRefusals(Duration tick) {
    if (tick.isNegative() || tick.toMillis() < 1) {
      throw new IllegalArgumentException("the tick must be at least 1 ms, got " + tick);
    }
    this.tickNanos = tick.toNanos();
  }

  /**
   * Runs {@code answer} on {@code context} when at least {@code holdMillis} have passed, on the
   * first tick after that. Called on {@code context}'s thread.
   */
  public void hold(Context context, long holdMillis, Runnable answer) {
    if (!Context.isOnEventLoopThread()) {
      context.owner().setTimer(Math.max(1, holdMillis), ignored -> answer.run());
      return;
    }
    LoopQueue queue = queues.get();
    if (queue == null || queue.vertx != context.owner()) {
      queue = new LoopQueue(context.owner());
      queues.set(queue);
    }
    queue.add(context, holdMillis, answer);
  }

  /** How many times this thread's loop woke to answer held refusals: for tests. */
  long wakeUpsOnThisLoop() {
    LoopQueue queue = queues.get();
    return queue == null ? 0 : queue.wakeUps;
  }

  /** One event loop's held refusals, in the order they are due. */
  private final class LoopQueue {
    private final Vertx vertx;
    private final PriorityQueue<Held> due = new PriorityQueue<>();
    private long sequence;
    private long timerId = -1;
    private long armedFor;
    private long wakeUps;

    LoopQueue(Vertx vertx) {
      this.vertx = vertx;
    }

    void add(Context context, long holdMillis, Runnable answer) {
      long now = System.nanoTime();
      long at = now + holdMillis * 1_000_000L;
      // Onto the tick boundary at or after its time, counted from a fixed origin so that the
      // refusals of one tick share it exactly.
      long tick = Math.floorDiv(at, tickNanos) + (Math.floorMod(at, tickNanos) == 0 ? 0 : 1);
      long releaseAt = tick * tickNanos;
      due.add(new Held(releaseAt, sequence++, context, answer));
      if (timerId < 0 || releaseAt - armedFor < 0) {
        arm(releaseAt, now);
      }
    }

    private void arm(long releaseAt, long now) {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      armedFor = releaseAt;
      // Rounded up: a timer never fires before its delay, so neither does a refusal.
      long delayMillis = Math.max(1, (releaseAt - now + 999_999) / 1_000_000);
      timerId = vertx.setTimer(delayMillis, ignored -> release());
    }

    private void release() {
      timerId = -1;
      wakeUps++;
      long now = System.nanoTime();
      while (!due.isEmpty() && due.peek().releaseAt - now <= 0) {
        Held held = due.poll();
        // Each on its own request's context: same thread, so it runs in this same wake-up.
        held.context.runOnContext(ignored -> held.answer.run());
      }
      if (!due.isEmpty()) {
        arm(due.peek().releaseAt, now);
      }
    }
  }

  private record Held(long releaseAt, long sequence, Context context, Runnable answer)
      implements Comparable<Held> {
    @Override
    public int compareTo(Held other) {
      int byTime = Long.compare(releaseAt - other.releaseAt, 0);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
