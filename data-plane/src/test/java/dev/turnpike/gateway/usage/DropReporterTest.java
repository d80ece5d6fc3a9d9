package dev.turnpike.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class DropReporterTest {
  private final RecordingLogger log = new RecordingLogger();
  private long now = 1_000;
  private final DropReporter reporter = new DropReporter(log, () -> "the spool is full", () -> now);

  @Test
  void logs_the_first_loss_at_once_at_error() {
    reporter.dropped(1);

    assertThat(log.lines).containsExactly("ERROR dropped 1 usage events: the spool is full");
  }

  @Test
  void logs_at_most_once_per_interval_with_the_count_lost_since() {
    reporter.dropped(1);
    for (int i = 0; i < 500; i++) {
      now += TimeUnit.MILLISECONDS.toNanos(10);
      reporter.dropped(2);
    }
    now += TimeUnit.SECONDS.toNanos(6);
    reporter.dropped(3);

    assertThat(log.lines)
        .containsExactly(
            "ERROR dropped 1 usage events: the spool is full",
            "ERROR dropped 1003 usage events: the spool is full");
  }

  @Test
  void reports_what_is_left_on_flush() {
    reporter.dropped(1);
    now += 1;
    reporter.dropped(4);
    reporter.flush();
    reporter.flush();

    assertThat(log.lines)
        .hasSize(2)
        .last()
        .isEqualTo("ERROR dropped 4 usage events: the spool is full");
  }

  /** Keeps formatted log lines in memory. */
  private static final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    final transient List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level,
        Marker marker,
        String messagePattern,
        Object[] arguments,
        Throwable throwable) {
      lines.add(level + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
