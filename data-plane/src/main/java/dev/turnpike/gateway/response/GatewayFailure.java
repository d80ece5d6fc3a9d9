package dev.turnpike.gateway.response;

/**
 * A request the gateway ends itself, carried as a value through the request chain and turned into a
 * response once, at the edge. {@code message} overrides the type's default message (e.g. the list
 * of missing parameters); it is always safe to show a client.
 */
public final class GatewayFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient GatewayResponseType type;

  public GatewayFailure(GatewayResponseType type, String message) {
    // No stack trace: failures are expected outcomes on the hot path, not bugs.
    super(message == null ? type.defaultMessage() : message, null, false, false);
    this.type = type;
  }

  public GatewayFailure(GatewayResponseType type) {
    this(type, null);
  }

  public GatewayResponseType type() {
    return type;
  }
}
