package dev.turnpike.platform;

import dev.turnpike.egress.HostPort;
import dev.turnpike.platform.PortGuard.NamedPort;
import dev.turnpike.platform.demo.DemoBackend;
import dev.turnpike.platform.demo.DemoSeed;
import dev.turnpike.platform.kafka.EmbeddedKafka;
import dev.turnpike.platform.keycloak.EmbeddedKeycloak;
import dev.turnpike.platform.postgres.EmbeddedDatabase;
import dev.turnpike.platform.process.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole platform on one machine: embedded PostgreSQL, Kafka and Keycloak (each unless an
 * external one is configured), the demo backend, then every service built in this checkout, each in
 * a JVM of its own, started in order and waited for until ready. {@link #close} stops all it
 * started, newest first; it runs from a shutdown hook on Ctrl-C.
 */
public final class Platform implements AutoCloseable {
  private static final Duration DEMO_PROPAGATION = Duration.ofSeconds(60);

  private final PlatformSettings settings;
  private final Map<String, String> inherited;
  private final Progress progress;
  private final Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
  private final List<ChildProcess> watched = new CopyOnWriteArrayList<>();
  private final Map<String, ChildProcess> serviceProcesses = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private DemoSeed.Demo demo;
  private List<Service> running = List.of();

  public Platform(PlatformSettings settings, Map<String, String> inherited, Progress progress) {
    this.settings = settings;
    this.inherited = Map.copyOf(inherited);
    this.progress = progress;
  }

  /** Starts everything and returns once every service is ready and the demo is seeded. */
  public void start() {
    Path stateDir = settings.stateDir();
    createDirectories(settings.logDir());
    List<Service> available = new ArrayList<>();
    for (Service service : Service.all()) {
      if (service.builtIn(settings.root())) {
        available.add(service);
      } else {
        progress.step(
            service.name()
                + ": not available in this build ("
                + service.mainClass()
                + " is not in "
                + service.module()
                + "); the platform runs without it");
      }
    }
    PortGuard.requireFree(portsToClaim(available));

    CompletableFuture<Void> keycloak = startKeycloak();
    if (settings.database().embedded()) {
      long begun = System.nanoTime();
      progress.step(
          "PostgreSQL: starting (embedded, data in "
              + relative(stateDir.resolve("postgres"))
              + ")");
      progress.begin("PostgreSQL");
      EmbeddedDatabase database =
          EmbeddedDatabase.start(
              stateDir.resolve("postgres"),
              settings.database().embeddedPort(),
              settings.logDir().resolve("postgres.log"),
              PlatformSettings.EMBEDDED_DATABASE,
              settings.database().logins());
      register(database);
      progress.done("PostgreSQL");
      progress.step("PostgreSQL: ready on port " + database.port() + took(begun));
    } else {
      progress.step("PostgreSQL: external, " + settings.database().jdbcUrl());
    }

    String kafkaBootstrap = settings.kafka().bootstrapServers();
    if (settings.kafka().embedded()) {
      long begun = System.nanoTime();
      progress.step(
          "Kafka: starting (single-node KRaft broker, logs in "
              + relative(stateDir.resolve("kafka"))
              + ")");
      progress.begin("Kafka");
      EmbeddedKafka kafka =
          EmbeddedKafka.start(
              stateDir.resolve("kafka"),
              settings.kafka().port(),
              settings.kafka().controllerPort(),
              settings.logDir().resolve("kafka.log"),
              inherited,
              settings.startTimeout());
      register(kafka);
      progress.done("Kafka");
      watched.add(kafka.process());
      progress.step("Kafka: ready at " + kafka.bootstrapServers() + took(begun));
    } else {
      progress.step("Kafka: external, " + kafkaBootstrap);
    }

    DemoBackend backend = DemoBackend.start(settings.bindHost(), settings.ports().demoBackend());
    register(backend);
    progress.step(
        "demo backend: listening on port "
            + backend.port()
            + " (/hello, /echo, and the function "
            + DemoBackend.FUNCTION
            + " on Lambda's Invoke API)");

    awaitKeycloak(keycloak);

    Map<String, String> environment = ServiceEnvironment.of(inherited, settings, kafkaBootstrap);
    progress.step(egressNote(environment));
    List<Service> toStart = new ArrayList<>(available);
    boolean seeding =
        settings.seedDemo() && available.stream().anyMatch(s -> s.module().equals("console"));
    if (seeding) {
      // The demo tenant's id, which its egress grant names, exists once the control plane made
      // it: seed with the control plane alone, then start the gateway with the grant in place.
      Service controlPlane =
          toStart.stream().filter(s -> s.module().equals("console")).findFirst().orElseThrow();
      toStart.remove(controlPlane);
      startService(controlPlane, environment);
      environment = seedDemo(environment);
    }
    for (Service service : toStart) {
      startService(service, environment);
    }
    running = List.copyOf(available);

    if (seeding) {
      ChildProcess gateway = serviceProcesses.get("data-plane");
      if (gateway != null) {
        // The seeded key and deployment travel outbox, relay, Kafka and the gateway's config
        // feed: the tour can start only once the demo call answers through the gateway.
        long served = System.nanoTime();
        String url = demo.helloUrl(settings.ports().gateway());
        gateway.awaitReady(
            ChildProcess.answers200(
                http,
                HttpRequest.newBuilder(URI.create(url))
                    .header("x-api-key", demo.apiKey())
                    .timeout(Duration.ofSeconds(5))
                    .build()),
            DEMO_PROPAGATION);
        progress.step("demo: the gateway serves " + url + took(served));
      }
    }
  }

  /**
   * Seeds the demo through the control plane and returns {@code environment} with the demo tenant's
   * grant of the embedded Keycloak's listener (its JWT authorizer's issuer) for the services still
   * to start. With an external Keycloak, no grant and no JWT route: its address is the operator's
   * to grant.
   */
  private Map<String, String> seedDemo(Map<String, String> environment) {
    long begun = System.nanoTime();
    boolean ownKeycloak = settings.keycloak().embedded();
    demo =
        new DemoSeed(
                "http://localhost:" + settings.ports().controlPlane(),
                settings.keycloak().tokenEndpoint(),
                "localhost:" + settings.ports().demoBackend(),
                settings.stateDir(),
                ownKeycloak
                    ? new DemoSeed.JwtIssuer(settings.keycloak().issuer(), LocalRealm.DEMO_AUDIENCE)
                    : null)
            .run();
    progress.step("demo: tenant, API, function, stage, plans and app in place" + took(begun));
    if (!ownKeycloak) {
      return environment;
    }
    HostPort keycloak = keycloakListener(settings);
    progress.step(
        "egress: tenant "
            + demo.tenant()
            + " ("
            + demo.tenantId()
            + ") may reach Keycloak at "
            + keycloak
            + ", the issuer of its JWT authorizer; no other tenant may"
            + " (TURNPIKE_EGRESS_TENANT_ALLOW)");
    return ServiceEnvironment.withListenerGrant(environment, demo.tenantId(), keycloak);
  }

  /**
   * The embedded Keycloak's listener as the gateway connects to its issuer, {@code localhost}:
   * loopback, which Keycloak answers on whichever host it binds (the launcher's own readiness check
   * reaches it there too).
   */
  static HostPort keycloakListener(PlatformSettings settings) {
    return new HostPort("127.0.0.1", settings.keycloak().port());
  }

  /** What integrations may reach, said before the services start. */
  static String egressNote(Map<String, String> environment) {
    String policy = environment.get(ServiceEnvironment.EGRESS_POLICY);
    int listeners = environment.get(ServiceEnvironment.EGRESS_LISTENERS).split(",").length;
    if ("trial".equalsIgnoreCase(policy.strip())) {
      return "egress: the trial egress policy: integrations may reach loopback and private"
          + " addresses (the demo backend), never the platform's own "
          + listeners
          + " listeners; deployments that serve strangers run the strict default";
    }
    return "egress: the "
        + policy.strip()
        + " egress policy (TURNPIKE_EGRESS_POLICY); the platform's own "
        + listeners
        + " listeners are refused";
  }

  private CompletableFuture<Void> startKeycloak() {
    if (!settings.keycloak().embedded()) {
      progress.step("Keycloak: external, " + settings.keycloak().baseUrl());
      return CompletableFuture.completedFuture(null);
    }
    progress.step(
        "Keycloak: starting"
            + (EmbeddedKeycloak.needsPreparation()
                ? " (first run: unpacking and building it once, 20 to 60 s more)"
                : "")
            + "; this is the slowest part, about 20 to 40 s");
    long begun = System.nanoTime();
    progress.begin("Keycloak");
    // Keycloak takes longest: it starts beside PostgreSQL and Kafka rather than after them.
    // On a thread of its own, not the common pool: waiting there for kc.sh build would starve
    // Process.onExit, which completes on the common pool (one worker on a 2-core machine).
    return CompletableFuture.runAsync(
        () -> {
          EmbeddedKeycloak keycloak =
              EmbeddedKeycloak.start(
                  settings.stateDir().resolve("keycloak"),
                  realmFile(),
                  settings.keycloak().realm(),
                  settings.bindHost(),
                  settings.keycloak().port(),
                  settings.logDir().resolve("keycloak.log"),
                  inherited,
                  settings.startTimeout(),
                  this::register);
          watched.add(keycloak.process());
          progress.done("Keycloak");
          progress.step("Keycloak: ready at " + settings.keycloak().baseUrl() + took(begun));
        },
        task -> Thread.ofPlatform().name("keycloak-start").start(task));
  }

  private void awaitKeycloak(CompletableFuture<Void> keycloak) {
    try {
      keycloak.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    if (!settings.keycloak().embedded()) {
      String discovery = settings.keycloak().issuer() + "/.well-known/openid-configuration";
      if (!ChildProcess.answers200(http, discovery).getAsBoolean()) {
        throw new PlatformException(
            "the external Keycloak does not serve realm "
                + settings.keycloak().realm()
                + ": "
                + discovery
                + " did not answer 200 (TURNPIKE_KEYCLOAK_URL, TURNPIKE_KEYCLOAK_REALM)");
      }
    }
  }

  private void startService(Service service, Map<String, String> environment) {
    long begun = System.nanoTime();
    progress.step(service.name() + ": starting");
    progress.begin(service.name());
    ChildProcess process = ServiceProcesses.spawn(service, settings, environment);
    register(process);
    watched.add(process);
    serviceProcesses.put(service.module(), process);
    process.awaitReady(
        ServiceProcesses.readiness(service, settings, http), settings.startTimeout());
    progress.done(service.name());
    progress.step(service.name() + ": ready" + took(begun));
  }

  List<NamedPort> portsToClaim(List<Service> services) {
    List<NamedPort> ports = new ArrayList<>();
    if (settings.database().embedded()) {
      ports.add(new NamedPort(settings.database().embeddedPort(), "PostgreSQL"));
    }
    if (settings.kafka().embedded()) {
      ports.add(new NamedPort(settings.kafka().port(), "Kafka"));
      ports.add(new NamedPort(settings.kafka().controllerPort(), "Kafka controller"));
    }
    if (settings.keycloak().embedded()) {
      ports.add(new NamedPort(settings.keycloak().port(), "Keycloak"));
    }
    ports.add(new NamedPort(settings.ports().demoBackend(), "demo backend"));
    for (Service service : services) {
      ports.addAll(service.ports().apply(settings));
    }
    return ports;
  }

  /** The trial realm the embedded Keycloak imports on its first start. */
  private Path realmFile() {
    return LocalRealm.write(settings, settings.keycloak().realm());
  }

  public DemoSeed.Demo demo() {
    return demo;
  }

  public List<Service> running() {
    return running;
  }

  /** The first child process that stops by itself, for the launcher to report. */
  public CompletableFuture<ChildProcess> anyChildExit() {
    List<CompletableFuture<ChildProcess>> exits =
        watched.stream().map(child -> child.onExit().thenApply(p -> child)).toList();
    CompletableFuture<ChildProcess> first = new CompletableFuture<>();
    exits.forEach(exit -> exit.thenAccept(first::complete));
    return first;
  }

  /** Whether anything it started is still to be stopped. */
  public boolean holdsAnything() {
    return !started.isEmpty();
  }

  /** True once {@link #close} began: children exit then because they were asked to. */
  public boolean closing() {
    return closed.get();
  }

  /** Registers something to stop on {@link #close}; stops it at once if closing already began. */
  void register(AutoCloseable resource) {
    started.push(resource);
    if (closed.get()) {
      close();
    }
  }

  @Override
  public void close() {
    closed.set(true);
    AutoCloseable next;
    while ((next = started.poll()) != null) {
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("while stopping: " + e.getMessage());
      }
    }
  }

  private String relative(Path path) {
    Path root = settings.root().toAbsolutePath();
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }

  private static String took(long begunNanos) {
    return String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - begunNanos) / 1e9);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PlatformException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
