package dev.turnpike.logging;

import java.util.Arrays;
import org.slf4j.MDC;

/**
 * The fields a log line about one request (or tenant) carries in the MDC: {@code requestId}, {@code
 * tenant}, {@code apiId}, {@code stage}, {@code traceId}. The gateway serves many requests on one
 * event-loop thread and continues each in callbacks, so a thread-local MDC set when a request
 * starts would be another request's by the time a callback logs. The fields are therefore put
 * around each log call by {@link #run} and taken off again in a finally, restoring whatever the
 * thread carried before: nothing is left behind on the thread.
 */
public final class LogContext {
  public static final String REQUEST_ID = "requestId";
  public static final String TENANT = "tenant";

  /** Where only the tenant's slug is known (the developer portal's paths). */
  public static final String TENANT_SLUG = "tenantSlug";

  public static final String API_ID = "apiId";
  public static final String STAGE = "stage";
  public static final String TRACE_ID = "traceId";

  public static final LogContext EMPTY = new LogContext(new String[0]);

  /** Alternating keys and values; never a null value. */
  private final String[] fields;

  private LogContext(String[] fields) {
    this.fields = fields;
  }

  /** This context with {@code key} set to {@code value}; a null value leaves the key out. */
  public LogContext with(String key, String value) {
    if (value == null) {
      return this;
    }
    String[] more = Arrays.copyOf(fields, fields.length + 2);
    more[fields.length] = key;
    more[fields.length + 1] = value;
    return new LogContext(more);
  }

  /** The value of {@code key}, or null when this context does not carry it. */
  public String get(String key) {
    for (int i = fields.length - 2; i >= 0; i -= 2) {
      if (fields[i].equals(key)) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /** Runs {@code logCall} with these fields in the MDC, then puts back what was there before. */
  public void run(Runnable logCall) {
    String[] previous = new String[fields.length / 2];
    for (int i = 0; i < fields.length; i += 2) {
      previous[i / 2] = MDC.get(fields[i]);
      MDC.put(fields[i], fields[i + 1]);
    }
    try {
      logCall.run();
    } finally {
      for (int i = fields.length - 2; i >= 0; i -= 2) {
        String before = previous[i / 2];
        if (before == null) {
          MDC.remove(fields[i]);
        } else {
          MDC.put(fields[i], before);
        }
      }
    }
  }

  /**
   * Puts these fields into the MDC for a block of blocking work on one thread (a worker serving one
   * request); closing takes them off again. For work that may continue on another thread or
   * interleave with other requests on this one, use {@link #run} around each log call instead.
   */
  public Scope open() {
    for (int i = 0; i < fields.length; i += 2) {
      MDC.put(fields[i], fields[i + 1]);
    }
    return () -> {
      for (int i = 0; i < fields.length; i += 2) {
        MDC.remove(fields[i]);
      }
    };
  }

  /** Fields in the MDC until closed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public String toString() {
    return Arrays.toString(fields);
  }
}
