package dev.turnpike.gateway.http;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server on a free UDP port of loopback that answers A queries for every name with the next
 * address of a script (the last one repeating) and a TTL of 0, so nothing is cached: an attacker's
 * name server rebinding a name between the gateway's check and its connect. AAAA and other queries
 * get an empty answer. It counts the A queries it answered.
 */
final class ScriptedDns implements AutoCloseable {
  private static final int TYPE_A = 1;

  private final DatagramSocket socket;
  private final List<InetAddress> script;
  private final AtomicInteger aQueries = new AtomicInteger();
  private final Thread thread;

  private ScriptedDns(List<InetAddress> script) throws SocketException {
    this.script = List.copyOf(script);
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = Thread.ofVirtual().name("scripted-dns").start(this::serve);
  }

  static ScriptedDns answering(String... addresses) throws IOException {
    List<InetAddress> script = new java.util.ArrayList<>();
    for (String address : addresses) {
      script.add(InetAddress.getByName(address));
    }
    return new ScriptedDns(script);
  }

  /** {@code host:port} for the resolver's server list. */
  String server() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  int aQueries() {
    return aQueries.get();
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
    int questionEnd = 12;
    while (query.get(questionEnd) != 0) {
      questionEnd += (query.get(questionEnd) & 0xff) + 1;
    }
    questionEnd += 1;
    int type = query.getShort(questionEnd) & 0xffff;
    questionEnd += 4;
    boolean isA = type == TYPE_A;
    ByteBuffer out = ByteBuffer.allocate(questionEnd + 16);
    out.putShort(id).putShort((short) 0x8180); // a response, recursion desired and available
    out.putShort((short) 1).putShort((short) (isA ? 1 : 0)).putShort((short) 0).putShort((short) 0);
    out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
    if (isA) {
      InetAddress next = script.get(Math.min(aQueries.getAndIncrement(), script.size() - 1));
      out.putShort((short) 0xc00c); // the name: a pointer to the question's
      out.putShort((short) TYPE_A).putShort((short) 1).putInt(0).putShort((short) 4);
      out.put(next.getAddress());
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    socket.close();
    thread.interrupt();
  }
}
