package dev.turnpike.gateway.http;

import static dev.turnpike.gateway.http.Fixtures.deployment;
import static dev.turnpike.gateway.http.Fixtures.mock;
import static dev.turnpike.gateway.http.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.usage.Outcome;
import dev.turnpike.gateway.bulkhead.RefusalPacingSettings;
import dev.turnpike.testkit.Await;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A tenant that floods a shared node with requests it refuses, sending each next one as soon as the
 * last is answered, would take the node's core with refusals alone. Past its pace, a tenant's
 * refusals wait their turn before they are answered; other tenants are answered at once meanwhile.
 * The rig's pacing clock is frozen, so which refusals wait, and how long, is the test's to say.
 */
class FloodingTenantTest {
  static final String THROTTLED = "/acme/pets/prod/hi";

  /** Any instant: the pacing clock stands still at it. */
  static final long FROZEN = 1_000_000_000L;

  @Test
  void a_flooding_tenants_refusals_wait_their_turn_while_another_tenant_is_answered()
      throws Exception {
    // One refusal a second: after the first, the next wait 1, 2, 3 and 4 seconds.
    try (GatewayRig rig =
        GatewayRig.builder()
            .refusalPacing(new RefusalPacingSettings(1, 100), () -> FROZEN)
            .start()) {
      load(rig);
      assertThat(rig.get(THROTTLED, Map.of()).status()).as("the burst of one").isEqualTo(200);
      assertThat(rig.get(THROTTLED, Map.of()).status()).isEqualTo(429);
      assertThat(rig.pacing.heldTotal()).as("none held within the pace").isZero();

      List<CompletableFuture<GatewayRig.Response>> flood =
          IntStream.range(0, 4)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> call(rig, THROTTLED)))
              .toList();
      Await.until(
          Duration.ofSeconds(10),
          () -> rig.pacing.held(Fixtures.TENANT_ID) == 4,
          "the flood's refusals held");

      assertThat(rig.get("/globex/pets/prod/hi", Map.of()).status()).isEqualTo(200);
      assertThat(rig.get("/globex/pets/prod/nowhere", Map.of()).status())
          .as("the other tenant's own refusal")
          .isEqualTo(403);
      assertThat(rig.pacing.held(Fixtures.OTHER_TENANT_ID)).isZero();
      assertThat(flood.stream().filter(CompletableFuture::isDone))
          .as("the 4-second refusal still waits after the other tenant's answers")
          .hasSizeLessThan(4);

      for (CompletableFuture<GatewayRig.Response> refused : flood) {
        GatewayRig.Response answer = refused.get();
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.json().getString("message")).isEqualTo("Too Many Requests");
      }
      assertThat(rig.pacing.held(Fixtures.TENANT_ID)).isZero();
      assertThat(rig.pacing.heldTotal()).isEqualTo(4);
    }
  }

  @Test
  void a_client_that_hangs_up_while_held_is_metered_as_throttled_and_nothing_stays_held()
      throws Exception {
    try (GatewayRig rig =
        GatewayRig.builder()
            .refusalPacing(new RefusalPacingSettings(5, 100), () -> FROZEN)
            .start()) {
      load(rig);
      rig.get(THROTTLED, Map.of());
      for (int i = 0; i < 5; i++) {
        assertThat(rig.get(THROTTLED, Map.of()).status()).isEqualTo(429);
      }

      try (Socket socket = new Socket("127.0.0.1", rig.port())) {
        socket
            .getOutputStream()
            .write(
                ("GET " + THROTTLED + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        Await.until(
            Duration.ofSeconds(10),
            () -> rig.pacing.held(Fixtures.TENANT_ID) == 1,
            "the hung-up refusal held");
      }

      Await.until(
          Duration.ofSeconds(10),
          () -> rig.pacing.held(Fixtures.TENANT_ID) == 0,
          "the hold over though its client is gone");
      Await.until(
          Duration.ofSeconds(10),
          () -> rig.events.stream().filter(e -> e.outcome() == Outcome.THROTTLED).count() == 6,
          "every refusal metered, the hung-up one too");
      assertThat(rig.get("/globex/pets/prod/hi", Map.of()).status()).isEqualTo(200);
    }
  }

  @Test
  void a_held_refusal_is_the_same_answer_as_one_given_at_once() throws Exception {
    try (GatewayRig rig =
        GatewayRig.builder()
            .refusalPacing(new RefusalPacingSettings(20, 100), () -> FROZEN)
            .start()) {
      load(rig);
      rig.get(THROTTLED, Map.of());
      GatewayRig.Response atOnce = rig.get(THROTTLED, Map.of());
      for (int i = 0; i < 19; i++) {
        rig.get(THROTTLED, Map.of());
      }
      assertThat(rig.pacing.heldTotal()).isZero();
      GatewayRig.Response afterHold = rig.get(THROTTLED, Map.of());

      assertThat(rig.pacing.heldTotal()).isEqualTo(1);
      assertThat(afterHold.status()).isEqualTo(atOnce.status()).isEqualTo(429);
      assertThat(afterHold.body()).isEqualTo(atOnce.body());
      assertThat(afterHold.headers().get("x-amzn-ErrorType"))
          .isEqualTo(atOnce.headers().get("x-amzn-ErrorType"))
          .isEqualTo("TooManyRequestsException");
    }
  }

  /** Acme's stage lets one request through and refuses the rest; globex has no limits. */
  static void load(GatewayRig rig) {
    rig.load(
        List.of(
            deployment(
                "prod",
                List.of(route("GET", "/hi", false, mock(200, "{}"))),
                Map.of(),
                new ThrottleLimit(0.001, 1),
                Map.of(),
                Map.of()),
            TenantPoolsTest.globexDeployment()),
        List.of(),
        List.of());
  }

  static GatewayRig.Response call(GatewayRig rig, String uri) {
    try {
      return rig.get(uri, Map.of());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
