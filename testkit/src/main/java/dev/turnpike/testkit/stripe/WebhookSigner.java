package dev.turnpike.testkit.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook payloads the way Stripe does: {@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256
 * of "<t>.<payload>" keyed with the endpoint's signing secret>}.
 */
public final class WebhookSigner {
  private WebhookSigner() {}

  public static String signatureHeader(String payload, String secret, long unixSeconds) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((unixSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public static String signatureHeader(String payload, String secret) {
    return signatureHeader(payload, secret, System.currentTimeMillis() / 1000);
  }
}
