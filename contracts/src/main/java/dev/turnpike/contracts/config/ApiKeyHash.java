package dev.turnpike.contracts.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way an API key is turned into the value stored and looked up: SHA-256 of its UTF-8 bytes,
 * lower-case hex. The control plane stores it, the gateway looks keys up by it.
 */
public final class ApiKeyHash {
  // MessageDigest is not thread-safe and getInstance allocates; the gateway hashes on every
  // request, so each thread keeps its own.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has SHA-256", e);
            }
          });

  private ApiKeyHash() {}

  public static String sha256Hex(String apiKey) {
    MessageDigest digest = SHA_256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(apiKey.getBytes(StandardCharsets.UTF_8)));
  }
}
