package dev.turnpike.egress;

/**
 * Whether a target may be reached on a tenant's behalf, and if not, why: a noun phrase for the
 * owner and the operator ({@code "a loopback address (127.0.0.1)"}), never for the API's clients.
 */
public record EgressDecision(boolean allowed, String reason) {
  public static final EgressDecision ALLOWED = new EgressDecision(true, null);

  static EgressDecision refused(String reason) {
    return new EgressDecision(false, reason);
  }
}
