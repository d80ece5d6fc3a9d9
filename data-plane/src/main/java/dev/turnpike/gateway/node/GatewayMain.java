package dev.turnpike.gateway.node;

import dev.turnpike.gateway.domain.DomainTls;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one gateway node configured from the environment (see {@link NodeSettings}). */
public final class GatewayMain {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) throws InterruptedException {
    // Before any listener starts: the JDK reads it once, at the first server handshake.
    DomainTls.refuseClientRenegotiation();
    NodeSettings settings;
    try {
      settings = NodeSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    GatewayNode node;
    try {
      node = GatewayNode.start(settings).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      LOG.error("gateway node failed to start", e);
      System.exit(1);
      return;
    }
    LOG.info("gateway node started: {}", node.describe());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                },
                "turnpike-gateway-shutdown"));
    stopped.await();
  }
}
