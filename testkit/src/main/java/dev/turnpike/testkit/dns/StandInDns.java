package dev.turnpike.testkit.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in DNS resolver on 127.0.0.1 (UDP, port 0) that answers TXT queries from what the test
 * put in it and says a name it holds nothing for does not exist: enough for a resolver client (the
 * JDK's {@code com.sun.jndi.dns}) to prove control of a domain in a test, with no network.
 */
public final class StandInDns implements AutoCloseable {
  private static final int TXT = 16;

  private final DatagramSocket socket;
  private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
  private final Thread thread;

  private StandInDns(DatagramSocket socket) {
    this.socket = socket;
    this.thread = Thread.ofPlatform().daemon().name("stand-in-dns").unstarted(this::serve);
  }

  public static StandInDns start() {
    try {
      StandInDns dns =
          new StandInDns(
              new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
      dns.thread.start();
      return dns;
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code host:port}, as a resolver setting names it. */
  public String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Answers TXT queries for {@code name} with these strings from now on. */
  public StandInDns txt(String name, String... values) {
    txt.put(name.toLowerCase(Locale.ROOT), List.of(values));
    return this;
  }

  public StandInDns remove(String name) {
    txt.remove(name.toLowerCase(Locale.ROOT));
    return this;
  }

  private void serve() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket request = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(request);
        byte[] answer = answer(buffer, request.getLength());
        if (answer != null) {
          socket.send(
              new DatagramPacket(answer, answer.length, request.getAddress(), request.getPort()));
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  private byte[] answer(byte[] q, int length) {
    if (length < 17) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    int at = 12;
    while (at < length && q[at] != 0) {
      int label = q[at] & 0xff;
      if (label > 63 || at + 1 + label >= length) {
        return null;
      }
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(new String(q, at + 1, label, StandardCharsets.US_ASCII));
      at += 1 + label;
    }
    int questionEnd = at + 5; // the root label, QTYPE and QCLASS
    if (questionEnd > length) {
      return null;
    }
    int qtype = ((q[at + 1] & 0xff) << 8) | (q[at + 2] & 0xff);
    List<String> values = txt.get(name.toString().toLowerCase(Locale.ROOT));
    List<String> answers = values != null && qtype == TXT ? values : List.of();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q[0]);
    out.write(q[1]);
    out.write(0x80 | (q[2] & 0x01)); // a response, RD echoed
    out.write(values == null ? 0x83 : 0x80); // recursion available; NXDOMAIN when unknown
    writeShort(out, 1);
    writeShort(out, answers.size());
    writeShort(out, 0);
    writeShort(out, 0);
    out.write(q, 12, questionEnd - 12);
    for (String value : answers) {
      byte[] text = value.getBytes(StandardCharsets.US_ASCII);
      out.write(0xc0); // the name: a pointer to the question's
      out.write(12);
      writeShort(out, TXT);
      writeShort(out, 1);
      writeShort(out, 0);
      writeShort(out, 0); // TTL 0: nothing to cache
      writeShort(out, text.length + 1);
      out.write(text.length);
      out.write(text, 0, text.length);
    }
    return out.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    out.write(value >> 8);
    out.write(value);
  }

  @Override
  public void close() {
    socket.close();
  }
}
