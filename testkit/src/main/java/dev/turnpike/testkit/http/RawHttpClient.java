package dev.turnpike.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One HTTP/1.1 connection on a plain socket, for tests of how a listener treats its clients: a
 * well-behaved exchange, a Slowloris client that trickles header bytes, a client that goes quiet.
 * It paces itself with the socket's read timeout (a read that times out means "still open"), so it
 * never sleeps, and it sees the server's close as an end of stream or a reset.
 */
public final class RawHttpClient implements AutoCloseable {
  /** How a trickle ended: the server closed after {@code elapsed}, having received {@code sent}. */
  public record Trickle(boolean closedByServer, Duration elapsed, int sent, String received) {}

  /** A response read off the wire. */
  public record Response(int status, String head, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawHttpClient connect(String host, int port) {
    try {
      Socket socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      return new RawHttpClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    }
  }

  /**
   * The same over TLS, trusting any certificate (a test's self-signed one); the handshake is done
   * when this returns.
   */
  public static RawHttpClient connectTls(String host, int port) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      return new RawHttpClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts the test server's certificate, whatever it is: this client talks to tests only. */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** A request line and headers that never end: a Slowloris client's endless header block. */
  public static String endlessHeaders(String path, String host) {
    StringBuilder request =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (int i = 0; request.length() < 64 * 1024; i++) {
      request.append("X-Slow-").append(i).append(": ").append(i).append("\r\n");
    }
    return request.toString();
  }

  /**
   * Sends {@code request} one byte per {@code interval} until the server closes the connection or
   * {@code giveUpAfter} passes (then the connection is still open: {@code closedByServer} false).
   */
  public Trickle trickle(String request, Duration interval, Duration giveUpAfter) {
    byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
    long started = System.nanoTime();
    long deadline = started + giveUpAfter.toNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    int sent = 0;
    try {
      socket.setSoTimeout((int) interval.toMillis());
      while (System.nanoTime() - deadline < 0 && sent < bytes.length) {
        try {
          out.write(bytes[sent]);
          out.flush();
          sent++;
        } catch (IOException reset) {
          return new Trickle(true, since(started), sent, text(received));
        }
        if (readUntilQuiet(received)) {
          return new Trickle(true, since(started), sent, text(received));
        }
      }
      return new Trickle(false, since(started), sent, text(received));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a whole request and reads one response (Content-Length or chunked framing). */
  public Response exchange(String request, Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readResponse();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A keep-alive GET of {@code path}. */
  public Response get(String path, String host, Duration timeout) {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n", timeout);
  }

  /**
   * Waits, without sending, until the server closes the connection; the time it took, or null if it
   * was still open after {@code within}.
   */
  public Duration closedByServerWithin(Duration within) {
    return awaitClose(within).closedAfter();
  }

  /** What a wait for the server's close saw: when it closed (null: still open), what it sent. */
  public record Close(Duration closedAfter, String received) {}

  /** Reads, without sending, until the server closes the connection or {@code within} passes. */
  public Close awaitClose(Duration within) {
    long started = System.nanoTime();
    long deadline = started + within.toNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return new Close(null, text(received));
        }
        socket.setSoTimeout((int) Math.max(1, left));
        try {
          int b = in.read();
          if (b < 0) {
            return new Close(since(started), text(received));
          }
          received.write(b);
        } catch (SocketTimeoutException stillOpen) {
          return new Close(null, text(received));
        } catch (IOException reset) {
          return new Close(since(started), text(received));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes raw bytes now (part of a request, say). */
  public void send(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the server has closed the connection: reads end or the socket was reset. */
  private boolean readUntilQuiet(ByteArrayOutputStream received) throws IOException {
    try {
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
        received.write(b);
      }
    } catch (SocketTimeoutException quiet) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private Response readResponse() throws IOException {
    String head = readLine();
    if (head == null) {
      throw new IOException("the server closed the connection without a response");
    }
    int status = Integer.parseInt(head.split(" ", 3)[1]);
    StringBuilder headers = new StringBuilder(head).append("\r\n");
    long length = -1;
    boolean chunked = false;
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      headers.append(line).append("\r\n");
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (String size = readLine(); size != null; size = readLine()) {
        int n = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
        if (n == 0) {
          readLine();
          break;
        }
        body.write(in.readNBytes(n));
        readLine();
      }
    } else if (length > 0) {
      body.write(in.readNBytes((int) length));
    }
    return new Response(status, headers.toString(), text(body));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = text(line);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : text(line);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a test's socket: nothing to do about a failure.
    }
  }
}
