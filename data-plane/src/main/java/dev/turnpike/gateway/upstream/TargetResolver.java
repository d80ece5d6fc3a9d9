package dev.turnpike.gateway.upstream;

import dev.turnpike.egress.HostPort;
import io.netty.handler.codec.dns.DnsRecordType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.SrvRecord;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where DNS discovery finds a name's addresses and SRV records, with how long each answer holds.
 */
public interface TargetResolver {
  /**
   * Every address of {@code hostname} (A before AAAA); fails when neither A nor AAAA records could
   * be read.
   */
  Future<Addresses> resolve(String hostname);

  /** The SRV records of {@code name}; fails when they could not be read. */
  Future<List<ServiceRecord>> resolveSrv(String name);

  /**
   * A name's addresses.
   *
   * @param ttlSeconds how long the answer may be used: its records' smallest TTL ({@code
   *     Long.MAX_VALUE} when it held no record)
   */
  record Addresses(List<InetAddress> addresses, long ttlSeconds) {
    public Addresses {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * One SRV record.
   *
   * @param target the host name serving it
   * @param ttlSeconds how long the answer may be used
   */
  record ServiceRecord(String target, int port, int priority, int weight, long ttlSeconds) {}

  /**
   * The records {@code server} answers (null: the node's first resolver): A and AAAA through
   * Netty's resolver, which keeps their TTL, SRV through Vert.x's DNS client. Both are made on the
   * first lookup, so a node without DNS discovery opens no DNS socket.
   */
  static TargetResolver dns(Vertx vertx, HostPort server) {
    AtomicReference<DnsClient> made = new AtomicReference<>();
    Supplier<DnsClient> client =
        () ->
            made.updateAndGet(
                held ->
                    held != null
                        ? held
                        : server == null
                            ? vertx.createDnsClient()
                            : vertx.createDnsClient(server.port(), server.host()));
    AddressQueries queries = new AddressQueries(vertx, server);
    return new TargetResolver() {
      @Override
      public Future<Addresses> resolve(String hostname) {
        Future<AddressQueries.Answer> v4 = queries.query(hostname, DnsRecordType.A);
        Future<AddressQueries.Answer> v6 = queries.query(hostname, DnsRecordType.AAAA);
        return Future.join(v4, v6)
            .transform(
                ignored -> {
                  if (v4.failed() && v6.failed()) {
                    return Future.failedFuture(v4.cause());
                  }
                  List<InetAddress> addresses = new ArrayList<>();
                  long ttl = Long.MAX_VALUE;
                  for (Future<AddressQueries.Answer> answer : List.of(v4, v6)) {
                    if (answer.succeeded()) {
                      addresses.addAll(answer.result().addresses());
                      ttl = Math.min(ttl, answer.result().ttlSeconds());
                    }
                  }
                  return Future.succeededFuture(new Addresses(addresses, ttl));
                });
      }

      @Override
      public Future<List<ServiceRecord>> resolveSrv(String name) {
        return client
            .get()
            .resolveSRV(name)
            .map(
                records -> {
                  List<ServiceRecord> out = new ArrayList<>();
                  if (records != null) {
                    for (SrvRecord record : records) {
                      out.add(
                          new ServiceRecord(
                              record.target(),
                              record.port(),
                              record.priority(),
                              record.weight(),
                              record.ttl()));
                    }
                  }
                  return out;
                });
      }
    };
  }
}
