package dev.turnpike.contracts.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets a tenant uploads (a custom domain's private key) for storage at rest and on the
 * config feed, and opens them on the gateway: AES-256-GCM under the operator's secret key, which
 * the control plane and every gateway node read from the same setting. The one home of the sealed
 * format, {@code v1:} followed by base64url of a 12-byte nonce and the ciphertext with its tag.
 *
 * <p>The caller names what the secret belongs to (e.g. the domain name) as associated data, so a
 * sealed value copied onto another record does not open.
 */
public final class SealedSecrets {
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SealedSecrets(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * @param base64Key 32 bytes, standard base64 (e.g. {@code openssl rand -base64 32})
   * @throws IllegalArgumentException naming the problem, if the key is not 32 bytes of base64
   */
  public static SealedSecrets fromBase64Key(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException("The secret key is required (32 bytes, base64)");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The secret key is not base64", e);
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "The secret key must be 32 bytes (AES-256), got " + key.length);
    }
    return new SealedSecrets(key);
  }

  /** A random key in the form {@link #fromBase64Key} reads, for a local trial and tests. */
  public static String newBase64Key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public String seal(String plaintext, String boundTo) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, boundTo);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * @throws IllegalArgumentException if the value is not sealed in this format, was sealed under
   *     another key, was bound to something else, or was altered
   */
  public String open(String sealed, String boundTo) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("Not a sealed secret (expected the v1: format)");
    }
    byte[] in;
    try {
      in = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("A sealed secret is not base64url", e);
    }
    if (in.length <= NONCE_BYTES) {
      throw new IllegalArgumentException("A sealed secret is too short");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(in, 0, nonce, 0, NONCE_BYTES);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, boundTo);
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException(
          "A sealed secret does not open: another key, another owner, or altered", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String boundTo) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(Objects.requireNonNull(boundTo, "boundTo").getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
