package dev.turnpike.gateway.upstream;

import io.vertx.core.Future;
import io.vertx.core.dns.DnsClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Where DNS discovery finds a name's addresses: Vert.x's DNS client, or a test's stand-in. */
@FunctionalInterface
public interface TargetResolver {
  /** Every address of {@code hostname}; fails when neither A nor AAAA records could be read. */
  Future<List<InetAddress>> resolve(String hostname);

  /**
   * The A and AAAA records a DNS client reads, IPv4 first; the client is made on the first lookup,
   * so a node without DNS discovery opens no DNS socket.
   */
  static TargetResolver dns(Supplier<DnsClient> clients) {
    AtomicReference<DnsClient> made = new AtomicReference<>();
    return hostname -> {
      DnsClient client = made.updateAndGet(held -> held != null ? held : clients.get());
      Future<List<String>> v4 = client.resolveA(hostname);
      Future<List<String>> v6 = client.resolveAAAA(hostname);
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
    };
  }
}
