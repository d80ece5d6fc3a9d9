package dev.turnpike.platform.kafka;

import dev.turnpike.platform.PlatformException;
import dev.turnpike.platform.process.ChildProcess;
import dev.turnpike.platform.process.JavaCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft: one process is both broker and controller), run from the Kafka
 * server classes on the launcher's own classpath in a JVM of its own, with its log folder in the
 * platform's state folder so topics and offsets outlive a restart. The folder is formatted on the
 * first run only.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration FORMAT_TIMEOUT = Duration.ofMinutes(2);

  private final ChildProcess process;
  private final String bootstrapServers;

  private EmbeddedKafka(ChildProcess process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts the broker (formatting {@code home/data} first if it is new) and returns once it answers
   * a cluster description.
   */
  public static EmbeddedKafka start(
      Path home,
      int port,
      int controllerPort,
      Path log,
      Map<String, String> environment,
      Duration timeout) {
    Path data = home.resolve("data");
    Path config = home.resolve("server.properties");
    String bootstrap = "localhost:" + port;
    try {
      Files.createDirectories(data);
      Files.writeString(config, serverProperties(data, port, controllerPort));
    } catch (IOException e) {
      throw new PlatformException("cannot write the Kafka config in " + home, e);
    }
    String classpath = System.getProperty("java.class.path");
    if (!Files.isRegularFile(data.resolve("meta.properties"))) {
      format(classpath, config, home, log, environment);
    }
    ChildProcess process =
        ChildProcess.start(
            "Kafka",
            JavaCommand.of(
                classpath,
                List.of(
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    // A local broker: the quick C1 compiler alone starts it sooner.
                    "-XX:TieredStopAtLevel=1",
                    // Levels of the launcher's logback.xml, back to info for the broker's log.
                    "-Dturnpike.log.root=INFO",
                    "-Dturnpike.log.kafka=INFO"),
                "kafka.Kafka",
                List.of(config.toString())),
            environment,
            home,
            log,
            STOP_GRACE);
    EmbeddedKafka kafka = new EmbeddedKafka(process, bootstrap);
    try {
      process.awaitReady(
          () -> listens(port) && answersDescribeCluster(bootstrap).getAsBoolean(), timeout);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  static String serverProperties(Path data, int port, int controllerPort) {
    return String.join(
        "\n",
        "# Written by ./turnpike up at every start; edit the launcher's settings, not this file.",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@localhost:" + controllerPort,
        "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
        "advertised.listeners=PLAINTEXT://localhost:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=3",
        // One broker: internal topics cannot have more replicas than that.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  private static void format(
      String classpath, Path config, Path home, Path log, Map<String, String> environment) {
    ChildProcess format =
        ChildProcess.start(
            "Kafka storage format",
            JavaCommand.of(
                classpath,
                List.of("-Xmx256m"),
                "kafka.tools.StorageTool",
                List.of(
                    "format",
                    "--cluster-id",
                    Uuid.randomUuid().toString(),
                    "--config",
                    config.toString())),
            environment,
            home,
            log,
            Duration.ofSeconds(5));
    try {
      if (format.waitFor(FORMAT_TIMEOUT) != 0) {
        throw new PlatformException(
            "formatting Kafka's log folder failed; the end of "
                + log
                + ":\n"
                + ChildProcess.tail(log));
      }
    } catch (PlatformException e) {
      format.close();
      throw e;
    } catch (InterruptedException e) {
      format.close();
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted while formatting Kafka's log folder", e);
    }
  }

  /** Checked first so the admin client does not log a warning per refused connection. */
  private static boolean listens(int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static BooleanSupplier answersDescribeCluster(String bootstrap) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    return () -> {
      try (Admin admin = Admin.create(properties)) {
        return !admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(3000))
            .nodes()
            .get(4, TimeUnit.SECONDS)
            .isEmpty();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ChildProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.close();
  }
}
