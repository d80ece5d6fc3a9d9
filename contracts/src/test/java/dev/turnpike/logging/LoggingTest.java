package dev.turnpike.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.logging.impl.LogConfigurator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Logback context of its own, configured as a service's is, writing into {@code out}. */
  private static Logger logger(LogSettings settings, ByteArrayOutputStream out) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setOutputStream(out);
    LogConfigurator.install(context, settings, appender);
    return context.getLogger("dev.turnpike.test");
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Nested
  class Json_format {
    @Test
    void writes_one_json_object_per_line_with_the_mdc_fields() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Logger log = logger(new LogSettings(LogSettings.Format.JSON, "info"), out);
      LogContext context =
          LogContext.EMPTY
              .with(LogContext.REQUEST_ID, "req-1")
              .with(LogContext.TENANT, "acme")
              .with(LogContext.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");

      context.run(() -> log.warn("integration failed: {}", "connection refused"));
      context.run(
          () -> log.error("with a stack trace\nover lines", new IllegalStateException("boom")));
      log.info("outside any request");

      List<String> lines = lines(out);
      assertThat(lines).hasSize(3);
      for (String line : lines) {
        assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
      }
      JsonNode first = JSON.readTree(lines.get(0));
      assertThat(first.path("level").asText()).isEqualTo("WARN");
      assertThat(first.path("formattedMessage").asText())
          .isEqualTo("integration failed: connection refused");
      assertThat(first.path("mdc").path("requestId").asText()).isEqualTo("req-1");
      assertThat(first.path("mdc").path("tenant").asText()).isEqualTo("acme");
      assertThat(first.path("mdc").path("traceId").asText())
          .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(JSON.readTree(lines.get(1)).path("throwable").path("message").asText())
          .isEqualTo("boom");
      assertThat(JSON.readTree(lines.get(2)).path("mdc").path("requestId").isMissingNode())
          .isTrue();
    }

    @Test
    void respects_the_level() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Logger log = logger(new LogSettings(LogSettings.Format.JSON, "warn"), out);
      log.info("not shown");
      log.warn("shown");
      assertThat(lines(out)).singleElement().asString().contains("shown");
    }
  }

  @Nested
  class Text_format {
    @Test
    void shows_the_mdc_fields_on_the_line_and_nothing_when_there_are_none() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Logger log = logger(LogSettings.DEFAULTS, out);
      LogContext.EMPTY.with(LogContext.REQUEST_ID, "req-2").run(() -> log.info("hello"));
      log.info("bare");
      List<String> lines = lines(out);
      assertThat(lines.get(0)).contains("{requestId=req-2}").endsWith(" - hello");
      assertThat(lines.get(1)).doesNotContain("{").endsWith("dev.turnpike.test - bare");
    }
  }

  @Nested
  class Context {
    @Test
    void leaves_nothing_behind_and_restores_what_the_thread_had() {
      MDC.put(LogContext.TENANT, "outer");
      try {
        LogContext.EMPTY
            .with(LogContext.TENANT, "inner")
            .with(LogContext.REQUEST_ID, "r")
            .run(
                () -> {
                  assertThat(MDC.get(LogContext.TENANT)).isEqualTo("inner");
                  assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("r");
                });
        assertThat(MDC.get(LogContext.TENANT)).isEqualTo("outer");
        assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
      } finally {
        MDC.clear();
      }
    }

    @Test
    void clears_its_fields_even_when_the_log_call_throws() {
      LogContext context = LogContext.EMPTY.with(LogContext.REQUEST_ID, "r");
      assertThatThrownBy(
              () ->
                  context.run(
                      () -> {
                        throw new IllegalStateException("appender failed");
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
    }

    @Test
    void a_scope_takes_its_fields_off_when_closed() {
      LogContext.Scope scope = LogContext.EMPTY.with(LogContext.TENANT, "t").open();
      assertThat(MDC.get(LogContext.TENANT)).isEqualTo("t");
      scope.close();
      assertThat(MDC.get(LogContext.TENANT)).isNull();
    }
  }

  /** A real process: Logback finds the shared configuration and reads the environment. */
  @Nested
  class Configured_from_the_environment {
    String run(Map<String, String> environment) throws Exception {
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      ProcessHandle.current().info().command().orElse("java"),
                      "-cp",
                      System.getProperty("java.class.path"),
                      LogProbe.class.getName()))
              .redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return output;
    }

    @Test
    void json_yields_one_valid_json_object_per_line_with_the_mdc_fields() throws Exception {
      List<String> lines = run(Map.of(LogSettings.FORMAT, "json")).lines().toList();

      assertThat(lines).hasSize(2);
      JsonNode first = JSON.readTree(lines.get(0));
      assertThat(first.path("formattedMessage").asText()).isEqualTo("probe line with \"quotes\"");
      assertThat(first.path("mdc").path("requestId").asText()).isEqualTo("req-probe");
      assertThat(first.path("mdc").path("tenant").asText()).isEqualTo("t-probe");
      JsonNode second = JSON.readTree(lines.get(1));
      assertThat(second.path("throwable").path("message").asText())
          .isEqualTo("first line\nsecond line");
    }

    @Test
    void text_at_the_level_set() throws Exception {
      String output = run(Map.of(LogSettings.LEVEL, "debug"));

      assertThat(output)
          .contains("WARN  [main] dev.turnpike.logging.LogProbe {")
          .contains("requestId=req-probe")
          .contains("probe debug")
          .contains("java.lang.IllegalStateException: first line");
    }

    @Test
    void a_bad_format_is_reported_naming_the_variable() throws Exception {
      String output = run(Map.of(LogSettings.FORMAT, "yaml"));

      assertThat(output).contains("TURNPIKE_LOG_FORMAT must be one of [text, json], was 'yaml'");
    }
  }

  @Nested
  class Settings {
    @Test
    void default_to_text_at_info() {
      assertThat(LogSettings.fromEnvironment(Map.of())).isEqualTo(LogSettings.DEFAULTS);
      assertThat(
              LogSettings.fromEnvironment(
                  Map.of(LogSettings.FORMAT, "JSON", LogSettings.LEVEL, "debug")))
          .isEqualTo(new LogSettings(LogSettings.Format.JSON, "debug"));
    }

    @Test
    void a_bad_format_fails_naming_the_variable() {
      assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of(LogSettings.FORMAT, "yaml")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TURNPIKE_LOG_FORMAT")
          .hasMessageContaining("yaml");
    }

    @Test
    void a_bad_level_fails_naming_the_variable() {
      assertThatThrownBy(() -> LogSettings.fromEnvironment(Map.of(LogSettings.LEVEL, "loud")))
          .hasMessageContaining("TURNPIKE_LOG_LEVEL");
    }
  }
}
