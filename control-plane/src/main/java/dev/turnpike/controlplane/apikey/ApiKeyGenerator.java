package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.config.ApiKeyHash;
import java.security.SecureRandom;

/**
 * Mints API keys: {@code tpk_} and 40 base62 characters (about 238 random bits). The full key is
 * returned once; only its hash and visible prefix are ever stored.
 */
public final class ApiKeyGenerator {
  static final String KEY_PREFIX = "tpk_";
  static final int RANDOM_LENGTH = 40;
  static final int VISIBLE_PREFIX_LENGTH = 8;
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private final SecureRandom random;

  public ApiKeyGenerator(SecureRandom random) {
    this.random = random;
  }

  public ApiKeyGenerator() {
    this(new SecureRandom());
  }

  /** A new key, with what may be stored of it. */
  public record MintedKey(String plainKey, String hash, String visiblePrefix) {
    @Override
    public String toString() {
      // Keeps the secret out of logs and exception messages.
      return "MintedKey[prefix=" + visiblePrefix + "]";
    }
  }

  public MintedKey mint() {
    StringBuilder key = new StringBuilder(KEY_PREFIX.length() + RANDOM_LENGTH).append(KEY_PREFIX);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      key.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    String plain = key.toString();
    return new MintedKey(
        plain, ApiKeyHash.sha256Hex(plain), plain.substring(0, VISIBLE_PREFIX_LENGTH));
  }
}
