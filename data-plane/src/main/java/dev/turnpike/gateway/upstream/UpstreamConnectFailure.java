package dev.turnpike.gateway.upstream;

/**
 * An attempt that found no connection to its target (refused, timed out, unresolvable): nothing of
 * the request was sent, so another target may be tried. Raised by the integration's attempt, read
 * by {@link UpstreamCall}; never reaches a client.
 */
public final class UpstreamConnectFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UpstreamConnectFailure(Throwable cause) {
    super(cause == null ? "connect failure" : cause.getMessage(), cause, false, false);
  }
}
