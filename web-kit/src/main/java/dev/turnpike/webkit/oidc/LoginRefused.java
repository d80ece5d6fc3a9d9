package dev.turnpike.webkit.oidc;

import java.util.Map;

/**
 * A provider's answer to a sign-in that is not accepted before any token is asked for: it does not
 * belong to a sign-in this browser session started (forged, replayed or from another browser), or
 * the provider did not sign the person in (cancelled, denied).
 */
public final class LoginRefused extends OidcFailure {
  private static final long serialVersionUID = 1L;

  /** Why the answer was refused. */
  public enum Reason {
    /** No sign-in is pending in this session, or its state does not match. */
    NOT_STARTED_HERE,
    /** The provider answered with an error, or without a code. */
    DECLINED
  }

  private final Reason reason;
  private final transient Map<String, String> carried;

  LoginRefused(Reason reason, String message, Map<String, String> carried) {
    super(message);
    this.reason = reason;
    this.carried = Map.copyOf(carried);
  }

  public Reason reason() {
    return reason;
  }

  /** What the site carried through a declined sign-in (empty when none was pending). */
  public Map<String, String> carried() {
    return carried;
  }
}
