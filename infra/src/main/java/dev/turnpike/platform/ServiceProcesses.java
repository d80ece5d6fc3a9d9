package dev.turnpike.platform;

import dev.turnpike.platform.process.ChildProcess;
import dev.turnpike.platform.process.JavaCommand;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Service JVMs run from their modules' build output, and how to tell they are ready. */
final class ServiceProcesses {
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private ServiceProcesses() {}

  /** Starts a service's JVM with {@code environment}; does not wait for it. */
  static ChildProcess spawn(
      Service service, PlatformSettings settings, Map<String, String> environment) {
    return ChildProcess.start(
        service.name(),
        JavaCommand.of(
            JavaCommand.moduleClasspath(settings.root().resolve(service.module())),
            settings.serviceJvmOptions(),
            service.mainClass(),
            List.of()),
        environment,
        settings.root(),
        settings.logDir().resolve(service.module() + ".log"),
        STOP_GRACE);
  }

  /** What answers once the service is ready: its readiness URL, or else its first port. */
  static BooleanSupplier readiness(Service service, PlatformSettings settings, HttpClient http) {
    String url = service.readiness().apply(settings);
    return url != null
        ? ChildProcess.answers200(http, url)
        : () -> listens(service.ports().apply(settings).get(0).port());
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
