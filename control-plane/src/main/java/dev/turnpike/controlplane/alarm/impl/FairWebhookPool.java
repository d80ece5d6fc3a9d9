package dev.turnpike.controlplane.alarm.impl;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The threads that call tenants' webhooks, shared fairly: each tenant has its own queue (bounded),
 * at most {@code perTenant} of its calls run at once, and free threads take the next call from the
 * tenants in turn. So a tenant whose receiver hangs holds at most {@code perTenant} threads (each
 * until the sender's timeout) and fills only its own queue; every other tenant's calls still find a
 * thread, and a tenant with many calls waiting does not go before one with a single call.
 */
final class FairWebhookPool implements AutoCloseable {
  private final int threads;
  private final int perTenant;
  private final int perTenantWaiting;
  private final ExecutorService executor;

  /** Tenants with calls waiting or running; its order is the turn. */
  private final Map<String, Lane> lanes = new LinkedHashMap<>();

  private int running;
  private boolean closed;

  private static final class Lane {
    final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    int running;
  }

  /**
   * @param threads calls running at once, all tenants together
   * @param perTenant calls of one tenant running at once; below {@code threads} so one tenant never
   *     holds them all
   * @param perTenantWaiting calls of one tenant waiting at most; more are refused
   */
  FairWebhookPool(int threads, int perTenant, int perTenantWaiting) {
    if (perTenant < 1 || perTenant >= threads && threads > 1) {
      throw new IllegalArgumentException(
          "a tenant's webhook calls in flight must be 1 or more and below the threads ("
              + threads
              + "), was "
              + perTenant);
    }
    this.threads = threads;
    this.perTenant = perTenant;
    this.perTenantWaiting = perTenantWaiting;
    this.executor =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name("alarm-webhook-", 0).daemon().factory());
  }

  /**
   * Queues a call of {@code tenant}'s.
   *
   * @return false if the tenant already has its most calls waiting, or the pool is closed
   */
  synchronized boolean submit(String tenant, Runnable call) {
    if (closed) {
      return false;
    }
    Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
    if (lane.waiting.size() >= perTenantWaiting) {
      return false;
    }
    lane.waiting.add(call);
    dispatch();
    return true;
  }

  /** Calls of {@code tenant} waiting or running, for tests and metrics. */
  synchronized int pending(String tenant) {
    Lane lane = lanes.get(tenant);
    return lane == null ? 0 : lane.waiting.size() + lane.running;
  }

  /** Starts calls while threads are free, taking tenants in turn. Holds the lock. */
  private void dispatch() {
    while (running < threads) {
      String tenant = null;
      Lane lane = null;
      for (Iterator<Map.Entry<String, Lane>> it = lanes.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Lane> e = it.next();
        if (!e.getValue().waiting.isEmpty() && e.getValue().running < perTenant) {
          tenant = e.getKey();
          lane = e.getValue();
          break;
        }
      }
      if (lane == null) {
        return;
      }
      // To the back of the turn.
      lanes.remove(tenant);
      lanes.put(tenant, lane);
      Runnable call = lane.waiting.poll();
      lane.running++;
      running++;
      String owner = tenant;
      Lane taken = lane;
      try {
        executor.execute(() -> run(owner, taken, call));
      } catch (RejectedExecutionException e) {
        taken.running--;
        running--;
        return;
      }
    }
  }

  private void run(String tenant, Lane lane, Runnable call) {
    try {
      call.run();
    } finally {
      synchronized (this) {
        lane.running--;
        running--;
        if (lane.running == 0 && lane.waiting.isEmpty()) {
          lanes.remove(tenant);
        }
        if (!closed) {
          dispatch();
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    lanes.clear();
    executor.shutdownNow();
  }
}
