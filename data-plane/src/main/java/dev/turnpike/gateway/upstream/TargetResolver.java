package dev.turnpike.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.SrvRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Where DNS discovery finds a name's addresses and SRV records: Vert.x's DNS client. */
public interface TargetResolver {
  /** Every address of {@code hostname}; fails when neither A nor AAAA records could be read. */
  Future<List<InetAddress>> resolve(String hostname);

  /** The SRV records of {@code name}; fails when they could not be read. */
  Future<List<ServiceRecord>> resolveSrv(String name);

  /**
   * One SRV record.
   *
   * @param target the host name serving it
   * @param ttlSeconds how long the answer may be used
   */
  record ServiceRecord(String target, int port, int priority, int weight, long ttlSeconds) {}

  /**
   * The records a DNS client reads (A before AAAA); the client is made on the first lookup, so a
   * node without DNS discovery opens no DNS socket.
   */
  static TargetResolver dns(Supplier<DnsClient> clients) {
    AtomicReference<DnsClient> made = new AtomicReference<>();
    Supplier<DnsClient> client =
        () -> made.updateAndGet(held -> held != null ? held : clients.get());
    return new TargetResolver() {
      @Override
      public Future<List<InetAddress>> resolve(String hostname) {
        Future<List<String>> v4 = client.get().resolveA(hostname);
        Future<List<String>> v6 = client.get().resolveAAAA(hostname);
        return Future.join(v4, v6)
            .transform(
                ignored -> {
                  if (v4.failed() && v6.failed()) {
                    return Future.failedFuture(v4.cause());
                  }
                  List<InetAddress> addresses = new ArrayList<>();
                  try {
                    for (Future<List<String>> answer : List.of(v4, v6)) {
                      if (answer.succeeded() && answer.result() != null) {
                        for (String literal : answer.result()) {
                          // A literal from the answer: parsed, never looked up.
                          addresses.add(InetAddress.getByName(literal));
                        }
                      }
                    }
                  } catch (UnknownHostException e) {
                    return Future.failedFuture(e);
                  }
                  return Future.succeededFuture(addresses);
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
