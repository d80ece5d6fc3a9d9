package dev.turnpike.webkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work (JDBC through jOOQ, Stripe calls with their back-off) on virtual threads and
 * hands the result back to the caller's Vert.x context, so an event loop never waits. The
 * connection pool, not this executor, bounds how much database work runs at once.
 */
public final class Blocking implements AutoCloseable {
  private final ExecutorService executor;

  /**
   * @param threadPrefix names the virtual threads ({@code prefix0}, {@code prefix1}, ...), so a
   *     thread dump says whose work it is
   */
  public Blocking(String threadPrefix) {
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadPrefix, 0).factory());
  }

  public <T> Future<T> run(Context context, Callable<T> work) {
    CompletableFuture<T> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return work.call();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            executor);
    return Future.fromCompletionStage(result, context)
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure));
  }

  @Override
  public void close() {
    executor.close();
  }
}
