package dev.turnpike.gateway.http;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on a free UDP port of loopback.
 *
 * <p>{@link #answering} answers A queries for every name with the next address of a script (the
 * last one repeating) and a TTL of 0, so nothing is cached: an attacker's name server rebinding a
 * name between the gateway's check and its connect ({@link #answeringWithTtl}: the TTL given). AAAA
 * and other queries get an empty answer.
 *
 * <p>{@link #serving} answers SRV queries with the next answer of a script (the last one repeating;
 * a null answer is a SERVFAIL, as a name server that is down) and A queries by name from a table
 * (other names: NXDOMAIN). It counts the A and SRV queries it answered.
 */
final class ScriptedDns implements AutoCloseable {
  private static final int TYPE_A = 1;
  private static final int TYPE_SRV = 33;

  /** One SRV record of an answer. */
  record Srv(int priority, int weight, int port, String target, int ttlSeconds) {}

  private final DatagramSocket socket;
  private final List<InetAddress> script;
  private final Map<String, InetAddress> addresses;
  private final List<List<Srv>> srvScript;
  private final int aTtlSeconds;
  private final AtomicInteger aQueries = new AtomicInteger();
  private final AtomicInteger srvQueries = new AtomicInteger();
  private final Thread thread;

  private ScriptedDns(
      List<InetAddress> script,
      Map<String, InetAddress> addresses,
      List<List<Srv>> srvScript,
      int aTtlSeconds)
      throws SocketException {
    this.aTtlSeconds = aTtlSeconds;
    this.script = List.copyOf(script);
    this.addresses = addresses;
    this.srvScript = srvScript;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = Thread.ofVirtual().name("scripted-dns").start(this::serve);
  }

  static ScriptedDns answering(String... addresses) throws IOException {
    return answeringWithTtl(0, addresses);
  }

  /** As {@link #answering}, with {@code ttlSeconds} on every A record. */
  static ScriptedDns answeringWithTtl(int ttlSeconds, String... addresses) throws IOException {
    List<InetAddress> script = new ArrayList<>();
    for (String address : addresses) {
      script.add(InetAddress.getByName(address));
    }
    return new ScriptedDns(script, null, List.of(), ttlSeconds);
  }

  /**
   * SRV answers in turn (null: SERVFAIL) and A records by name.
   *
   * @param addressByName lowercase name without the trailing dot to IPv4 literal
   */
  static ScriptedDns serving(Map<String, String> addressByName, List<List<Srv>> srvScript)
      throws IOException {
    Map<String, InetAddress> addresses = new java.util.HashMap<>();
    for (Map.Entry<String, String> entry : addressByName.entrySet()) {
      addresses.put(entry.getKey(), InetAddress.getByName(entry.getValue()));
    }
    return new ScriptedDns(List.of(), addresses, new ArrayList<>(srvScript), 0);
  }

  /** {@code host:port} for the resolver's server list. */
  String server() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  int aQueries() {
    return aQueries.get();
  }

  int srvQueries() {
    return srvQueries.get();
  }

  private void serve() {
    byte[] buffer = new byte[512];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
        socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private byte[] answer(ByteBuffer query) {
    short id = query.getShort(0);
    StringBuilder name = new StringBuilder();
    int questionEnd = 12;
    while (query.get(questionEnd) != 0) {
      int length = query.get(questionEnd) & 0xff;
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(
          new String(
              query.array(),
              query.arrayOffset() + questionEnd + 1,
              length,
              StandardCharsets.US_ASCII));
      questionEnd += length + 1;
    }
    questionEnd += 1;
    int type = query.getShort(questionEnd) & 0xffff;
    questionEnd += 4;
    List<byte[]> records = new ArrayList<>();
    int rcode = 0;
    if (type == TYPE_A && addresses == null) {
      InetAddress next = script.get(Math.min(aQueries.getAndIncrement(), script.size() - 1));
      records.add(record(TYPE_A, aTtlSeconds, next.getAddress()));
    } else if (type == TYPE_A) {
      aQueries.incrementAndGet();
      InetAddress address = addresses.get(name.toString().toLowerCase(Locale.ROOT));
      if (address == null) {
        rcode = 3;
      } else {
        records.add(record(TYPE_A, 0, address.getAddress()));
      }
    } else if (type == TYPE_SRV && !srvScript.isEmpty()) {
      List<Srv> next = srvScript.get(Math.min(srvQueries.getAndIncrement(), srvScript.size() - 1));
      if (next == null) {
        rcode = 2;
      } else {
        for (Srv srv : next) {
          ByteBuffer data = ByteBuffer.allocate(6 + srv.target().length() + 2);
          data.putShort((short) srv.priority())
              .putShort((short) srv.weight())
              .putShort((short) srv.port());
          for (String label : srv.target().split("\\.")) {
            data.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
          }
          data.put((byte) 0);
          byte[] bytes = new byte[data.position()];
          data.flip().get(bytes);
          records.add(record(TYPE_SRV, srv.ttlSeconds(), bytes));
        }
      }
    }
    ByteBuffer out = ByteBuffer.allocate(questionEnd + 512);
    // A response, recursion desired and available, and the answer code.
    out.putShort(id).putShort((short) (0x8180 | rcode));
    out.putShort((short) 1).putShort((short) records.size()).putShort((short) 0);
    out.putShort((short) 0);
    out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
    for (byte[] record : records) {
      out.put(record);
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /** An answer record for the question's name (a pointer to it). */
  private static byte[] record(int type, int ttl, byte[] data) {
    ByteBuffer out = ByteBuffer.allocate(12 + data.length);
    out.putShort((short) 0xc00c).putShort((short) type).putShort((short) 1).putInt(ttl);
    out.putShort((short) data.length).put(data);
    return out.array();
  }

  @Override
  public void close() {
    socket.close();
    thread.interrupt();
  }
}
