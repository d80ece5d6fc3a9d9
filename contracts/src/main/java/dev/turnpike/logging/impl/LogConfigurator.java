package dev.turnpike.logging.impl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.turnpike.logging.LogSettings;
import dev.turnpike.settings.SettingsReader;

/**
 * The one Logback configuration every Turnpike process gets, found by Logback through {@code
 * META-INF/services} in the contracts jar that every service already carries: lines to standard
 * error (where slf4j-simple wrote them before) as text or JSON, at the level {@link LogSettings}
 * reads from the environment. A module that ships its own {@code logback.xml} or {@code
 * logback-test.xml} (the launcher, quiet tests) gets that file instead.
 *
 * <p>A bad setting falls back to the defaults here, as Logback starts before any main method can
 * report it; the service's main reads {@link LogSettings} again and stops with the variable's name.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36}%replace( {%mdc}){' \\{\\}', ''}"
          + " - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (hasOwnConfiguration()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    SettingsReader reader = new SettingsReader(System.getenv());
    LogSettings settings = LogSettings.read(reader);
    try {
      reader.failOnProblems("logging");
    } catch (IllegalArgumentException e) {
      addError(e.getMessage() + " (using the defaults until the service stops at start)");
      settings = LogSettings.DEFAULTS;
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setTarget("System.err");
    install(context, settings, console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sends every line to {@code appender}, encoded as {@code settings} say, at their level. */
  public static void install(
      LoggerContext context, LogSettings settings, OutputStreamAppender<ILoggingEvent> appender) {
    Encoder<ILoggingEvent> encoder = encoder(context, settings.format());
    appender.setContext(context);
    appender.setName("turnpike");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    root.setLevel(Level.toLevel(settings.level(), Level.INFO));
  }

  /** The started encoder of {@code format}: what a service's lines look like. */
  public static Encoder<ILoggingEvent> encoder(LoggerContext context, LogSettings.Format format) {
    if (format == LogSettings.Format.JSON) {
      JsonEncoder json = new JsonEncoder();
      // What an operator filters on; the rest (context, arguments, counters) only adds bytes.
      json.setWithContext(false);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      json.setWithMarkers(false);
      json.setWithKVPList(false);
      json.setContext(context);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setPattern(TEXT_PATTERN);
    text.setContext(context);
    text.start();
    return text;
  }

  private static boolean hasOwnConfiguration() {
    ClassLoader loader = LogConfigurator.class.getClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }
}
