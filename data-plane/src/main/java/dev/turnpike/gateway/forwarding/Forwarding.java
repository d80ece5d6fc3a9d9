package dev.turnpike.gateway.forwarding;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Who called, as the gateway tells the access log, the usage path, {@code
 * $context.identity.sourceIp} and the backend's {@code X-Forwarded-*} headers.
 *
 * <p>From an untrusted peer everything is what the gateway saw itself: the peer address, the scheme
 * and the Host; the client's own forwarding headers are dropped, so they cannot be spoofed. From a
 * trusted front proxy its {@code X-Forwarded-For} chain is kept and the peer appended, its {@code
 * X-Forwarded-Proto} / {@code -Host} are kept where sent, and the client is the right-most address
 * in the chain that is not itself a trusted proxy (anything left of it could be made up).
 *
 * @param clientAddress the caller's IP
 * @param forwardedFor the {@code X-Forwarded-For} value for the backend
 * @param proto the {@code X-Forwarded-Proto} value
 * @param host the {@code X-Forwarded-Host} value; null when the request named no host
 * @param fromTrustedProxy whether the client's own {@code Forwarded} / {@code X-Forwarded-*}
 *     headers may pass to the backend
 */
public record Forwarding(
    String clientAddress,
    String forwardedFor,
    String proto,
    String host,
    boolean fromTrustedProxy) {

  /** What to tell about {@code request}, whose connection's peer may be a trusted proxy. */
  public static Forwarding of(HttpServerRequest request, TrustedProxies trusted) {
    String peer = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    String seenProto = request.scheme() == null ? "http" : request.scheme();
    String seenHost = request.authority() == null ? null : request.authority().toString();
    if (!trusted.trusts(peer)) {
      return new Forwarding(peer, peer, seenProto, seenHost, false);
    }
    List<String> chain = request.headers().getAll("x-forwarded-for");
    String forwardedFor = chain.isEmpty() ? peer : String.join(", ", chain) + ", " + peer;
    String proto = request.getHeader("x-forwarded-proto");
    String host = request.getHeader("x-forwarded-host");
    return new Forwarding(
        clientIn(chain, peer, trusted),
        forwardedFor,
        proto == null || proto.isBlank() ? seenProto : proto,
        host == null || host.isBlank() ? seenHost : host,
        true);
  }

  /**
   * Walks the chain from the right past trusted proxies; the first address that is not one is the
   * client. An entry that is no IP literal ends the walk at the last address read.
   */
  private static String clientIn(List<String> chain, String peer, TrustedProxies trusted) {
    String client = peer;
    for (int header = chain.size() - 1; header >= 0; header--) {
      String value = chain.get(header);
      int end = value.length();
      while (end >= 0) {
        int comma = value.lastIndexOf(',', end - 1);
        String address = withoutPort(value.substring(comma + 1, end).strip());
        if (TrustedProxies.literal(address) == null) {
          return client;
        }
        client = address;
        if (!trusted.trusts(address)) {
          return client;
        }
        if (comma < 0) {
          break;
        }
        end = comma;
      }
    }
    return client;
  }

  /** {@code 1.2.3.4:80} and {@code [::1]:80} as sent by some proxies, without the port. */
  private static String withoutPort(String address) {
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      return close < 0 ? address : address.substring(1, close);
    }
    int colon = address.indexOf(':');
    if (colon > 0 && address.indexOf(':', colon + 1) < 0) {
      return address.substring(0, colon);
    }
    return address;
  }
}
