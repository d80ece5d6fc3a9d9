package dev.turnpike.portal.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the gateway behind the portal's try-it panel, on plain blocking sockets so it sees
 * exactly what the caller does with the connection. It answers GETs by the path's last segment:
 * {@code /endless} streams a chunked body that never ends until the caller closes the connection
 * (which it notices, as its next write fails), {@code /silent} never answers, anything else gets a
 * small JSON body on a kept-alive connection. It counts the requests it got.
 */
public final class StandInGateway implements AutoCloseable {
  private static final byte[] CHUNK =
      ("2000\r\n" + "x".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SMALL =
      "{\"forecast\":\"sunny\"}".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean endlessClosed = new AtomicBoolean();
  private volatile String lastHead;

  public StandInGateway() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.execute(this::accept);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        threads.execute(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (String head = readHead(in); head != null; head = readHead(in)) {
        requests.incrementAndGet();
        lastHead = head;
        String path = head.split(" ", 3)[1];
        if (path.endsWith("/silent")) {
          in.readAllBytes(); // Until the caller gives up.
          return;
        }
        if (path.endsWith("/endless")) {
          endless(out);
          return;
        }
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + SMALL.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(SMALL);
        out.flush();
      }
    } catch (IOException gone) {
      // The caller left.
    }
  }

  private void endless(OutputStream out) {
    try {
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      while (true) {
        out.write(CHUNK);
        out.flush();
      }
    } catch (IOException closedByCaller) {
      endlessClosed.set(true);
    }
  }

  /** The request line and headers, or null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The request line and headers of the last request, or null before the first. */
  public String lastHead() {
    return lastHead;
  }

  public int requests() {
    return requests.get();
  }

  /** True once the caller closed the endless body's connection. */
  public boolean endlessClosed() {
    return endlessClosed.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing a test's server.
    }
    threads.shutdownNow();
  }
}
