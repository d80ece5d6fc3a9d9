package dev.turnpike.controlplane.alarm;

import dev.turnpike.contracts.domain.SealedSecrets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Alarms' webhook signing secrets: issued here, shown to the owner once, and stored in a form the
 * evaluator can sign with, so never hashed. With the operator's {@code TURNPIKE_SECRET_KEY} a
 * secret is sealed (AES-GCM, bound to its alarm, so a sealed value copied onto another alarm does
 * not open); without it the secret is stored as issued, like a Stripe webhook secret in an
 * operator's environment, and readable by whoever reads the database. The two forms cannot be
 * confused: sealed values start {@code v1:}, issued ones {@code whsec_}.
 */
public final class SigningSecrets {
  private static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SealedSecrets sealer;

  /**
   * @param sealer the operator's key, or null to store secrets as issued
   */
  public SigningSecrets(SealedSecrets sealer) {
    this.sealer = sealer;
  }

  /** A new secret: 32 random bytes, base64url, after {@code whsec_}. */
  public static String issue() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The form stored on the alarm's row. */
  public String stored(String secret, UUID alarmId) {
    return sealer == null ? secret : sealer.seal(secret, boundTo(alarmId));
  }

  /**
   * The secret to sign with, from its stored form.
   *
   * @throws IllegalArgumentException if it was sealed and cannot be opened (no key, another key)
   */
  public String open(String stored, UUID alarmId) {
    if (stored.startsWith(PREFIX)) {
      return stored;
    }
    if (sealer == null) {
      throw new IllegalArgumentException("sealed, and TURNPIKE_SECRET_KEY is not set");
    }
    return sealer.open(stored, boundTo(alarmId));
  }

  private static String boundTo(UUID alarmId) {
    return "alarm-signing-secret:" + alarmId;
  }
}
