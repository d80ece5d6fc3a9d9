package dev.turnpike.controlplane.alarm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature every alarm webhook call carries, Stripe's scheme: header {@value #HEADER} with
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the alarm's signing secret>}.
 * The timestamp is signed with the body so a captured call cannot be replayed later with a new
 * time; a receiver checks the signature in constant time and refuses a time too far from its clock.
 * {@link #verify} is the receiver's recipe, kept here so the docs and the tests use the code that
 * signs.
 */
public final class WebhookSignature {
  public static final String HEADER = "Turnpike-Signature";

  /** How far a receiver should let a call's time stray from its clock, as Stripe's libraries do. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  /** The header's value for {@code body} sent at {@code at}. */
  public static String header(String secret, Instant at, byte[] body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
  }

  /**
   * Whether {@code header} signs {@code body} under {@code secret} at a time within {@code
   * tolerance} of {@code now}. Any {@code v1} in the header may match (a receiver rotating secrets
   * may see two); anything malformed is false.
   */
  public static boolean verify(
      String secret, String header, byte[] body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    Long t = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        return false;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      try {
        if (key.equals("t")) {
          t = Long.parseLong(value);
        } else if (key.equals("v1")) {
          signatures.add(HexFormat.of().parseHex(value));
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (t == null || signatures.isEmpty()) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = mac(secret, t, body);
    boolean any = false;
    for (byte[] signature : signatures) {
      any |= MessageDigest.isEqual(expected, signature);
    }
    return any;
  }

  private static byte[] mac(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
