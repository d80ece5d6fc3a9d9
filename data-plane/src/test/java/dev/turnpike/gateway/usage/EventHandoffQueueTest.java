package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class EventHandoffQueueTest {

  @Test
  void hands_elements_over_in_order_up_to_its_capacity() {
    EventHandoffQueue<Integer> queue = new EventHandoffQueue<>(3);

    assertThat(queue.offer(1)).isTrue();
    assertThat(queue.offer(2)).isTrue();
    assertThat(queue.offer(3)).isTrue();
    assertThat(queue.offer(4)).isFalse();
    assertThat(queue.size()).isEqualTo(3);

    assertThat(queue.poll()).isEqualTo(1);
    assertThat(queue.offer(5)).isTrue();
    assertThat(List.of(queue.poll(), queue.poll(), queue.poll())).containsExactly(2, 3, 5);
    assertThat(queue.poll()).isNull();
    assertThat(queue.size()).isZero();
  }

  @Test
  void loses_nothing_and_keeps_each_producers_order_under_contention() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    EventHandoffQueue<long[]> queue = new EventHandoffQueue<>(64);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long producer = p;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    awaitQuietly(go);
                    for (long n = 0; n < perProducer; n++) {
                      long[] element = {producer, n};
                      while (!queue.offer(element)) {
                        Thread.yield();
                      }
                    }
                  }));
    }
    go.countDown();

    Map<Long, Long> nextExpected = new HashMap<>();
    int received = 0;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (received < producers * perProducer && System.nanoTime() < deadline) {
      long[] element = queue.poll();
      if (element == null) {
        Thread.yield();
        continue;
      }
      long expected = nextExpected.getOrDefault(element[0], 0L);
      assertThat(element[1]).as("producer %d's order", element[0]).isEqualTo(expected);
      nextExpected.put(element[0], expected + 1);
      received++;
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(received).isEqualTo(producers * perProducer);
    assertThat(queue.poll()).isNull();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
