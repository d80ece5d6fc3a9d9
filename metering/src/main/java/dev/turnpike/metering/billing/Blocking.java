package dev.turnpike.metering.billing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work (JDBC, Stripe calls with their back-off) on virtual threads and completes on
 * the caller's Vert.x context, so an event loop never waits.
 */
final class Blocking implements AutoCloseable {
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("billing-", 0).factory());

  <T> Future<T> run(Context context, Callable<T> work) {
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
