package dev.turnpike.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that logs as a service does, configured only by Logback's discovery of the shared
 * configuration and the environment it is started with (see {@link LoggingTest}).
 */
public final class LogProbe {
  private LogProbe() {}

  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger(LogProbe.class);
    LogContext.EMPTY
        .with(LogContext.REQUEST_ID, "req-probe")
        .with(LogContext.TENANT, "t-probe")
        .run(() -> log.warn("probe line with \"quotes\""));
    log.error("probe failure", new IllegalStateException("first line\nsecond line"));
    log.debug("probe debug");
  }
}
