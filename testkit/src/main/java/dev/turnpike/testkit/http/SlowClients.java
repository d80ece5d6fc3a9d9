package dev.turnpike.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.testkit.Await;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The checks every HTTP listener's tests make against slow clients: a Slowloris client (one header
 * byte per {@link #TRICKLE}) is cut off after the listener's header read timeout while others are
 * served, and over the connection cap new connections are closed unanswered while those inside go
 * on being served.
 */
public final class SlowClients {
  public static final Duration TRICKLE = Duration.ofMillis(200);
  public static final Duration GIVE_UP = Duration.ofSeconds(8);
  public static final Duration ANSWER = Duration.ofSeconds(5);
  private static final String HOST = "127.0.0.1";

  private SlowClients() {}

  /** A Slowloris client on {@code port} is cut off while three others get {@code status}. */
  public static void assertCutOffWhileOthersAreServed(
      int port, String path, int status, Duration headerRead) {
    CompletableFuture<RawHttpClient.Trickle> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try (RawHttpClient client = RawHttpClient.connect(HOST, port)) {
                return client.trickle(
                    RawHttpClient.endlessHeaders(path, "localhost"), TRICKLE, GIVE_UP);
              }
            });
    for (int i = 0; i < 3; i++) {
      try (RawHttpClient client = RawHttpClient.connect(HOST, port)) {
        assertThat(client.get(path, "localhost", ANSWER).status()).isEqualTo(status);
      }
    }
    assertCutOff(slow.join(), headerRead);
  }

  /**
   * The server closed the trickling connection about {@code headerRead} after it began (within a
   * second more: tests keep their idle timeouts longer than that, so they tell the two apart).
   */
  public static void assertCutOff(RawHttpClient.Trickle trickle, Duration headerRead) {
    assertThat(trickle.closedByServer())
        .as("the server closed the slow client's connection (sent %d bytes)", trickle.sent())
        .isTrue();
    assertThat(trickle.elapsed())
        .isGreaterThanOrEqualTo(headerRead.minusMillis(100))
        .isLessThan(headerRead.plusSeconds(1));
  }

  /**
   * Fills the cap with kept-alive connections, checks that one more is closed without an answer,
   * that the ones inside go on being served, and that a place freed is taken again.
   */
  public static void assertConnectionCap(int port, int cap, String path, int status) {
    List<RawHttpClient> inside = new ArrayList<>();
    try {
      for (int i = 0; i < cap; i++) {
        // Retried: a connection an earlier test closed may hold its place for a moment more.
        Await.until(
            ANSWER,
            () -> {
              RawHttpClient client = RawHttpClient.connect(HOST, port);
              try {
                if (client.get(path, "localhost", ANSWER).status() == status) {
                  inside.add(client);
                  return true;
                }
              } catch (UncheckedIOException closed) {
                // Not let in (yet).
              }
              client.close();
              return false;
            },
            "a connection inside the cap is served");
      }
      try (RawHttpClient over = RawHttpClient.connect(HOST, port)) {
        // A request is sent: some listeners learn of a connection only once it speaks.
        try {
          over.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        } catch (UncheckedIOException alreadyClosed) {
          // Closed as it was accepted: the request never got through, as it should be.
        }
        RawHttpClient.Close refused = over.awaitClose(Duration.ofSeconds(3));
        assertThat(refused.closedAfter()).as("the connection over the cap was closed").isNotNull();
        assertThat(refused.received()).as("no answer over the cap").isEmpty();
      }
      for (RawHttpClient client : inside) {
        assertThat(client.get(path, "localhost", ANSWER).status()).isEqualTo(status);
      }
      inside.remove(0).close();
      Await.until(
          ANSWER,
          () -> {
            try (RawHttpClient again = RawHttpClient.connect(HOST, port)) {
              return again.get(path, "localhost", ANSWER).status() == status;
            } catch (UncheckedIOException closed) {
              return false;
            }
          },
          "a connection is accepted again once one inside has left");
    } finally {
      inside.forEach(RawHttpClient::close);
    }
  }
}
