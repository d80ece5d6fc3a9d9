package dev.turnpike.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.usage.UsageEvent;
import dev.turnpike.contracts.usage.UsageEventDecoder;
import dev.turnpike.platform.demo.DemoBackend;
import dev.turnpike.platform.demo.DemoSeed;
import dev.turnpike.platform.kafka.EmbeddedKafka;
import dev.turnpike.platform.keycloak.EmbeddedKeycloak;
import dev.turnpike.platform.postgres.EmbeddedDatabase;
import dev.turnpike.platform.process.ChildProcess;
import dev.turnpike.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's parts as {@code ./turnpike up} runs them, taken away on purpose: a gateway node
 * restarted while Kafka and the control plane are down serves from its disk snapshot, and the usage
 * events of the calls it served meanwhile reach the usage topic once Kafka is back, and metering
 * counts every one of them: none lost, none twice.
 */
@Tag("platform")
class GatewayOutageTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Duration BUDGET = Duration.ofMinutes(3);

  final HttpClient http = HttpClient.newHttpClient();
  final Deque<AutoCloseable> started = new ArrayDeque<>();
  final AtomicInteger served = new AtomicInteger();

  @AfterEach
  void stopAll() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("stopping: " + e);
      }
    }
  }

  @Test
  void a_restarted_node_serves_from_its_snapshot_and_spools_usage_until_kafka_returns(
      @TempDir Path state) throws Exception {
    Map<String, String> env = new HashMap<>(LaunchedPlatform.freePorts());
    env.put("TURNPIKE_PLATFORM_DIR", state.toString());
    PlatformSettings settings = PlatformSettings.fromEnvironment(env, ROOT);
    started.push(
        EmbeddedDatabase.start(
            state.resolve("postgres"),
            settings.database().embeddedPort(),
            settings.logDir().resolve("postgres.log"),
            PlatformSettings.EMBEDDED_DATABASE,
            settings.database().logins()));
    EmbeddedKafka kafka = startKafka(settings);
    started.push(
        EmbeddedKeycloak.start(
            state.resolve("keycloak"),
            LocalRealm.write(settings, "turnpike"),
            "turnpike",
            "127.0.0.1",
            settings.keycloak().port(),
            settings.logDir().resolve("keycloak.log"),
            System.getenv(),
            BUDGET,
            resource -> {}));
    started.push(DemoBackend.start("127.0.0.1", settings.ports().demoBackend()));

    Map<String, String> serviceEnv = new HashMap<>(System.getenv());
    serviceEnv.keySet().removeIf(name -> name.startsWith("TURNPIKE_"));
    serviceEnv =
        new HashMap<>(ServiceEnvironment.of(serviceEnv, settings, kafka.bootstrapServers()));
    serviceEnv.put("TURNPIKE_GATEWAY_COLD_START_GRACE_MS", "1000");
    serviceEnv.put("TURNPIKE_GATEWAY_ACCESS_LOG_FIELDS", "none");
    Service controlPlaneService = service("console");
    Service gatewayService = service("data-plane");
    ChildProcess controlPlane = startReady(controlPlaneService, settings, serviceEnv);
    ChildProcess gateway = startReady(gatewayService, settings, serviceEnv);
    // Metering keeps running throughout, as it would: Kafka going away is its problem too.
    startReady(service("metering"), settings, serviceEnv);

    DemoSeed.Demo demo =
        new DemoSeed(
                "http://localhost:" + settings.ports().controlPlane(),
                settings.keycloak().tokenEndpoint(),
                "localhost:" + settings.ports().demoBackend(),
                state)
            .run();
    String hello = demo.helloUrl(settings.ports().gateway());
    Await.until(
        BUDGET, () -> call(hello, demo.apiKey()) == 200, "the demo answers through the gateway");
    int servedBeforeOutage = served.get();

    gateway.close();
    controlPlane.close();
    kafka.close();
    ChildProcess restarted = ServiceProcesses.spawn(gatewayService, settings, serviceEnv);
    started.push(restarted);
    restarted.awaitReady(() -> call(hello, demo.apiKey()) == 200, BUDGET);
    for (int i = 0; i < 9; i++) {
      assertThat(call(hello, demo.apiKey())).isEqualTo(200);
      // Under the free plan's 5 requests a second.
      Thread.sleep(250);
    }
    int servedDuringOutage = served.get() - servedBeforeOutage;
    assertThat(servedDuringOutage).isEqualTo(10);

    startKafka(settings);
    startReady(controlPlaneService, settings, serviceEnv);
    Await.until(
        BUDGET,
        () -> servedEventIds(settings).size() == served.get(),
        () -> "every served call's usage event on " + Topics.USAGE + ": " + served.get());
    assertThat(servedEventIds(settings)).hasSize(served.get());
    Await.until(
        BUDGET,
        () -> meteredSuccesses(settings) == served.get(),
        () ->
            "metering to count "
                + served.get()
                + " served calls, has "
                + meteredSuccesses(settings));
  }

  /** Successful calls in metering's daily aggregates: what billing and quotas read. */
  static long meteredSuccesses(PlatformSettings settings) {
    PlatformSettings.DatabaseLogins logins = settings.database().logins();
    try (Connection connection =
            DriverManager.getConnection(
                settings.database().jdbcUrl(), logins.systemUser(), logins.systemPassword());
        Statement statement = connection.createStatement();
        ResultSet sum =
            statement.executeQuery(
                "SELECT coalesce(sum(calls - errors_4xx - errors_5xx), 0) FROM usage_aggregates"
                    + " WHERE granularity = 'day'")) {
      sum.next();
      return sum.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read usage_aggregates: " + e.getMessage(), e);
    }
  }

  EmbeddedKafka startKafka(PlatformSettings settings) {
    EmbeddedKafka kafka =
        EmbeddedKafka.start(
            settings.stateDir().resolve("kafka"),
            settings.kafka().port(),
            settings.kafka().controllerPort(),
            settings.logDir().resolve("kafka.log"),
            System.getenv(),
            BUDGET);
    started.push(kafka);
    return kafka;
  }

  ChildProcess startReady(Service service, PlatformSettings settings, Map<String, String> env) {
    ChildProcess process = ServiceProcesses.spawn(service, settings, env);
    started.push(process);
    process.awaitReady(ServiceProcesses.readiness(service, settings, http), BUDGET);
    return process;
  }

  static Service service(String module) {
    return Service.all().stream().filter(s -> s.module().equals(module)).findFirst().orElseThrow();
  }

  /** GET with the key; counts each 200, since each must become one usage event. */
  int call(String url, String key) {
    try {
      int status =
          http.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .header("x-api-key", key)
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      if (status == 200) {
        served.incrementAndGet();
      }
      return status;
    } catch (Exception e) {
      return -1;
    }
  }

  /** Distinct ids of the usage events of served calls (status 200) on the usage topic. */
  static Set<UUID> servedEventIds(PlatformSettings settings) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka().bootstrapServers());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Set<UUID> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.USAGE, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          UsageEvent event = UsageEventDecoder.decode(record.value());
          if (event.status() == 200) {
            ids.add(event.eventId());
          }
        }
      }
    } catch (RuntimeException e) {
      // Kafka not reachable yet, or the topic not there: nothing counted.
      return Set.of();
    }
    return ids;
  }
}
