package dev.turnpike.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential a stage's integrations call the {@code @connections} API with: an HMAC-SHA256 of
 * the tenant, API and stage under a secret every gateway node shares. The gateway hands it to the
 * stage's integrations with each event; it opens that stage's connections and no other, so a
 * tenant's backend cannot push into another tenant's (or another stage's) connections. Stateless:
 * any node that holds the secret checks it.
 */
public final class CallbackAuth {
  /** The header (or {@code Authorization: Bearer}) a callback presents the token in. */
  public static final String TOKEN_HEADER = "x-turnpike-callback-token";

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  /**
   * @param secret at least 32 bytes, the same on every node of the platform
   */
  public CallbackAuth(byte[] secret) {
    if (secret == null || secret.length < 32) {
      throw new IllegalArgumentException("the callback secret must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  /** A secret of this process alone: callbacks then work only on the node that took them. */
  public static CallbackAuth random() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new CallbackAuth(secret);
  }

  /** The token of one stage. */
  public String tokenFor(String tenantId, String apiId, String stage) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] tag =
          mac.doFinal((tenantId + '\n' + apiId + '\n' + stage).getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(tag);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code presented} is the stage's token, compared in constant time. */
  public boolean admits(String presented, String tenantId, String apiId, String stage) {
    if (presented == null || presented.isEmpty() || presented.length() > 128) {
      return false;
    }
    return MessageDigest.isEqual(
        tokenFor(tenantId, apiId, stage).getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII));
  }
}
