package dev.turnpike.controlplane.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work (JDBC through jOOQ) on virtual threads and hands the result back to the
 * caller's Vert.x context, so an event loop never waits on the database. The connection pool, not
 * this executor, bounds how much database work runs at once.
 */
public final class Blocking implements AutoCloseable {
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cp-blocking-", 0).factory());

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
