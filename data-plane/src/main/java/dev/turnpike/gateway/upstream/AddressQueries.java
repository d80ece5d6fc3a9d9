package dev.turnpike.gateway.upstream;

import dev.turnpike.egress.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.concurrent.FutureListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.impl.DnsAddressResolverProvider;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A and AAAA queries that keep the answer's TTL, which Vert.x's {@code DnsClient.resolveA} drops: a
 * raw query through Netty's DNS resolver on the caller's Vert.x event loop, built the way Vert.x
 * builds its DNS client's (same server, timeout and recursion), one resolver per event loop.
 */
final class AddressQueries {
  /** The records of one type an answer held, and its smallest TTL (none: {@code MAX_VALUE}). */
  record Answer(List<InetAddress> addresses, long ttlSeconds) {}

  private final VertxInternal vertx;
  private final HostPort server;
  private final Map<EventLoop, DnsNameResolver> resolvers = new ConcurrentHashMap<>();
  private volatile DnsAddressResolverProvider provider;

  /**
   * @param server the DNS server to ask; null: the node's first resolver, as {@code
   *     Vertx.createDnsClient()} picks it
   */
  AddressQueries(Vertx vertx, HostPort server) {
    this.vertx = (VertxInternal) vertx;
    this.server = server;
  }

  Future<Answer> query(String name, DnsRecordType type) {
    ContextInternal context = vertx.getOrCreateContext();
    Promise<Answer> promise = context.promise();
    DnsNameResolver resolver;
    try {
      resolver = resolvers.computeIfAbsent(context.nettyEventLoop(), this::resolverOn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    resolver
        .query(new DefaultDnsQuestion(name, type))
        .addListener(
            (FutureListener<AddressedEnvelope<DnsResponse, InetSocketAddress>>)
                done -> {
                  if (!done.isSuccess()) {
                    promise.fail(done.cause());
                    return;
                  }
                  AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = done.getNow();
                  try {
                    promise.handle(Future.succeededFuture(read(name, type, envelope.content())));
                  } catch (UnknownHostException e) {
                    promise.fail(e);
                  } finally {
                    envelope.release();
                  }
                });
    return promise.future();
  }

  private static Answer read(String name, DnsRecordType type, DnsResponse response)
      throws UnknownHostException {
    if (!DnsResponseCode.NOERROR.equals(response.code())) {
      throw new UnknownHostException(name + " (" + type.name() + "): " + response.code());
    }
    int length = type == DnsRecordType.AAAA ? 16 : 4;
    List<InetAddress> addresses = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
      DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
      // CNAMEs leading to the addresses count too: the chain is only good while every link is.
      ttl = Math.min(ttl, record.timeToLive());
      if (record.type().equals(type) && record instanceof DnsRawRecord raw) {
        ByteBuf data = raw.content();
        if (data.readableBytes() != length) {
          throw new UnknownHostException(name + " (" + type.name() + "): a malformed record");
        }
        byte[] bytes = new byte[length];
        data.getBytes(data.readerIndex(), bytes);
        // The record's bytes as an address, never looked up.
        addresses.add(InetAddress.getByAddress(bytes));
      }
    }
    return new Answer(addresses, ttl);
  }

  private DnsNameResolver resolverOn(EventLoop loop) {
    return provider()
        .getDnsNameResolverBuilder()
        .queryTimeoutMillis(new DnsClientOptions().getQueryTimeout())
        .recursionDesired(new DnsClientOptions().isRecursionDesired())
        .eventLoop(loop)
        .build();
  }

  /** As Vert.x's DNS client: the node's resolver options, asking the one server. */
  private synchronized DnsAddressResolverProvider provider() {
    if (provider == null) {
      AddressResolverOptions node = vertx.nameResolver().options();
      InetSocketAddress address =
          server != null
              ? new InetSocketAddress(server.host(), server.port())
              : DnsAddressResolverProvider.create(vertx, new AddressResolverOptions(node))
                  .nameServerAddresses()
                  .get(0);
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("DNS server " + address + " is not an IP address");
      }
      provider =
          DnsAddressResolverProvider.create(
              vertx,
              new AddressResolverOptions(node)
                  .setServers(List.of(address.getHostString() + ":" + address.getPort()))
                  .setOptResourceEnabled(false));
    }
    return provider;
  }
}
