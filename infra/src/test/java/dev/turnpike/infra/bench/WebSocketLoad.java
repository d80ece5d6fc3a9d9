package dev.turnpike.infra.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The websocket scenario's load client, a JVM of its own on one event loop (as wrk runs one
 * thread), for the gateway and the bare echo server alike ({@link WebSocketLoadOptions}).
 *
 * <ul>
 *   <li>{@code echo}: each connection keeps {@code --in-flight} messages sent and sends the next as
 *       an answer comes. After the warm-up it stops sending, lets every answer arrive, prints
 *       {@code WARM} and waits for {@code --go-file}, so the script reads the server's CPU time
 *       while the server is idle; then it loads for {@code --duration} seconds, stops, drains, and
 *       prints {@code RESULT messages=N seconds=S rate=R errors=E p50_ms=A p99_ms=B}. An answer
 *       that is not the message sent back counts as an error. Exits 1 if a connection fails or
 *       closes.
 *   <li>{@code idle}: opens {@code --connections} connections, at most {@code --handshakes} at
 *       once, spread over the source addresses, prints {@code OPEN connections=N seconds=S}, holds
 *       them (answering the server's pings) until {@code --go-file} exists, closes them and prints
 *       {@code CLOSED}. Exits 1 if any connection could not be opened.
 * </ul>
 */
public final class WebSocketLoad {
  private static final long GO_POLL_MILLIS = 10;

  /** Latencies in microseconds up to one second; slower ones count in the last bucket. */
  private static final int LATENCY_BUCKETS = 1_000_001;

  private final WebSocketLoadOptions options;
  private final Vertx vertx;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private final long[] latencies = new long[LATENCY_BUCKETS];
  private boolean sending;
  private boolean measuring;
  private long answered;
  private long errors;
  private int inFlight;
  private Runnable onDrained;

  private WebSocketLoad(WebSocketLoadOptions options) {
    this.options = options;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    for (String source : options.sourceAddresses()) {
      WebSocketClientOptions client =
          new WebSocketClientOptions()
              .setMaxConnections(options.connections())
              .setConnectTimeout(30_000);
      // With one address the kernel picks it, as connect() alone does; binding first would take
      // the port out of the range shared with every destination.
      if (options.sourceAddresses().size() > 1) {
        client.setLocalAddress(source);
      }
      clients.add(vertx.createWebSocketClient(client));
    }
  }

  public static void main(String[] args) {
    WebSocketLoadOptions options;
    try {
      options = WebSocketLoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    WebSocketLoad load = new WebSocketLoad(options);
    load.vertx.runOnContext(ignored -> load.start());
  }

  private void start() {
    long started = System.nanoTime();
    int concurrent = options.echo() ? options.connections() : options.handshakes();
    Opener opener = new Opener(options.connections(), started);
    for (int i = 0; i < Math.min(concurrent, options.connections()); i++) {
      opener.next();
    }
  }

  /** Opens the connections, a bounded number at a time, then starts the mode's work. */
  private final class Opener {
    private final int total;
    private final long started;
    private int launched;
    private int done;
    private int failed;
    private String firstFailure;

    Opener(int total, long started) {
      this.total = total;
      this.started = started;
    }

    void next() {
      if (launched == total) {
        return;
      }
      int index = launched++;
      WebSocketClient client = clients.get(index % clients.size());
      WebSocketConnectOptions connect =
          new WebSocketConnectOptions()
              .setHost(options.uri().getHost())
              .setPort(options.uri().getPort())
              .setURI(options.path())
              .setTimeout(30_000);
      client
          .connect(connect)
          .onComplete(
              (socket, error) -> {
                done++;
                if (error != null) {
                  failed++;
                  if (firstFailure == null) {
                    firstFailure = error.toString();
                  }
                } else {
                  channels.add(new Channel(socket));
                }
                if (done == total) {
                  opened(failed, firstFailure, (System.nanoTime() - started) / 1e9);
                } else {
                  next();
                }
              });
    }
  }

  private void opened(int failed, String firstFailure, double seconds) {
    System.out.printf(
        Locale.ROOT,
        "OPEN connections=%d failed=%d seconds=%.1f%n",
        channels.size(),
        failed,
        seconds);
    System.out.flush();
    if (failed > 0) {
      fail(failed + " connection(s) could not be opened, the first: " + firstFailure);
      return;
    }
    if (options.echo()) {
      sendAll();
      vertx.setTimer(options.warmupSeconds() * 1000L + 1, ignored -> drain(this::warmedUp));
    } else {
      awaitGo(this::closeAll);
    }
  }

  private void warmedUp() {
    System.out.printf(Locale.ROOT, "WARM messages=%d errors=%d%n", answered, errors);
    System.out.flush();
    awaitGo(
        () -> {
          answered = 0;
          errors = 0;
          java.util.Arrays.fill(latencies, 0);
          measuring = true;
          long started = System.nanoTime();
          sendAll();
          vertx.setTimer(
              options.durationSeconds() * 1000L,
              ignored -> drain(() -> report((System.nanoTime() - started) / 1e9)));
        });
  }

  private void sendAll() {
    sending = true;
    for (Channel channel : channels) {
      for (int i = 0; i < options.inFlight(); i++) {
        channel.send();
      }
    }
  }

  /** Stops sending and runs {@code then} once every message sent has been answered. */
  private void drain(Runnable then) {
    sending = false;
    onDrained = then;
    checkDrained();
  }

  private void checkDrained() {
    if (!sending && inFlight == 0 && onDrained != null) {
      Runnable then = onDrained;
      onDrained = null;
      then.run();
    }
  }

  private void report(double seconds) {
    measuring = false;
    System.out.printf(
        Locale.ROOT,
        "RESULT messages=%d seconds=%.3f rate=%.0f errors=%d p50_ms=%.2f p99_ms=%.2f%n",
        answered,
        seconds,
        answered / seconds,
        errors,
        percentile(0.50) / 1000.0,
        percentile(0.99) / 1000.0);
    System.out.flush();
    System.exit(0);
  }

  /** The latency in microseconds below which {@code fraction} of the measured answers came. */
  private long percentile(double fraction) {
    long total = 0;
    for (long count : latencies) {
      total += count;
    }
    long wanted = (long) Math.ceil(total * fraction);
    long seen = 0;
    for (int micros = 0; micros < latencies.length; micros++) {
      seen += latencies[micros];
      if (seen >= wanted && seen > 0) {
        return micros;
      }
    }
    return 0;
  }

  private void awaitGo(Runnable then) {
    vertx.setPeriodic(
        GO_POLL_MILLIS,
        timer -> {
          if (Files.exists(options.goFile())) {
            vertx.cancelTimer(timer);
            then.run();
          }
        });
  }

  private void closeAll() {
    List<Future<Void>> closing = new ArrayList<>(channels.size());
    for (Channel channel : channels) {
      channel.closing = true;
      closing.add(channel.socket.close());
    }
    Future.join(closing)
        .onComplete(
            ignored -> {
              System.out.println("CLOSED");
              System.out.flush();
              System.exit(0);
            });
  }

  private void fail(String message) {
    System.out.println("FAILED " + message);
    System.out.flush();
    System.exit(1);
  }

  /** One connection: the send times of its unanswered messages, oldest first. */
  private final class Channel {
    private final WebSocket socket;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private boolean closing;

    Channel(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(this::answer);
      socket.binaryMessageHandler(ignored -> answer(null));
      socket.closeHandler(
          ignored -> {
            if (!closing) {
              fail(
                  "the server closed a connection: "
                      + socket.closeStatusCode()
                      + " "
                      + socket.closeReason());
            }
          });
      socket.exceptionHandler(error -> fail("a connection failed: " + error));
    }

    void send() {
      sent.addLast(System.nanoTime());
      inFlight++;
      socket.writeTextMessage(options.message());
    }

    private void answer(String text) {
      Long at = sent.pollFirst();
      if (at == null) {
        fail("an answer came for no message: " + text);
        return;
      }
      inFlight--;
      if (measuring) {
        long micros = (System.nanoTime() - at) / 1_000;
        latencies[(int) Math.min(micros, LATENCY_BUCKETS - 1)]++;
      }
      answered++;
      if (!options.message().equals(text)) {
        errors++;
        if (errors == 1) {
          System.err.println("unexpected answer: " + text);
        }
      }
      if (sending) {
        send();
      } else {
        checkDrained();
      }
    }
  }
}
