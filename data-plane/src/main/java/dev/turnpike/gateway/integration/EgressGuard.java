package dev.turnpike.gateway.integration;

import dev.turnpike.egress.EgressDecision;
import dev.turnpike.egress.EgressPolicy;
import dev.turnpike.egress.HostLiteral;
import dev.turnpike.egress.HostPort;
import dev.turnpike.egress.PlatformListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The gateway's side of the egress policy: decides, for a backend request, the one address it
 * connects to. A name is resolved here, through Vert.x's own resolver and its cache (a cached name
 * costs no DNS round trip), and the address the policy admitted is the address the client connects
 * to ({@code RequestOptions.setServer}): no second lookup can hand the connection another one.
 */
public final class EgressGuard {
  private final NameResolver resolver;
  private volatile EgressPolicy policy;

  public EgressGuard(Vertx vertx, EgressPolicy policy) {
    this.resolver = ((VertxInternal) vertx).nameResolver();
    this.policy = policy;
  }

  public EgressPolicy policy() {
    return policy;
  }

  /**
   * Refuses the node's own listeners too, once it knows their ports. Call before the first config
   * is compiled: literal targets are decided at compile time.
   */
  public void alsoRefuse(List<HostPort> listeners) {
    policy = policy.withListeners(listeners.stream().map(PlatformListener::literal).toList());
  }

  /** The decision for an address literal, made once per deployment for a literal origin. */
  public EgressDecision decide(IntegrationOwner owner, InetAddress address, int port) {
    return policy.check(owner.tenantId(), address, port);
  }

  /**
   * The server a request to {@code host:port} may connect to: a failed future with an {@link
   * EgressRefusal} when the policy refuses it, with the resolver's error when the name does not
   * resolve.
   */
  public Future<SocketAddress> admit(IntegrationOwner owner, String host, int port) {
    EgressPolicy current = policy;
    InetAddress literal = HostLiteral.parse(host);
    if (literal != null) {
      return admitted(current.check(owner.tenantId(), literal, port), literal, port);
    }
    if (current.isListenerName(host, port)) {
      return Future.failedFuture(
          new EgressRefusal(
              "a listener of the platform itself (" + HostLiteral.normalize(host) + ")"));
    }
    return resolver
        .resolve(host)
        .compose(
            address -> admitted(current.check(owner.tenantId(), address, port), address, port));
  }

  private static Future<SocketAddress> admitted(
      EgressDecision decision, InetAddress address, int port) {
    if (!decision.allowed()) {
      return Future.failedFuture(new EgressRefusal(decision.reason()));
    }
    return Future.succeededFuture(server(address, port));
  }

  /**
   * The address alone: a host name carried along would make Vert.x pool the connection under the
   * name, not under the address the policy admitted.
   */
  public static SocketAddress server(InetAddress address, int port) {
    try {
      InetAddress bare = InetAddress.getByAddress(address.getAddress());
      return SocketAddress.inetSocketAddress(new InetSocketAddress(bare, port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Why the policy refused a target: for the owner's log, never for the API's client. */
  public static final class EgressRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EgressRefusal(String reason) {
      super(reason, null, false, false);
    }
  }
}
