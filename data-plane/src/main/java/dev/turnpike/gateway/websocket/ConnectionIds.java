package dev.turnpike.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Connection ids that say which node holds the connection: 12 random bytes and the node id, both
 * base64url, joined by a dot ({@code L0SM9cOFvHcCIhw4.bm9kZS0x}). The random part makes an id
 * unguessable; the node part lets any node forward a callback to the owner.
 */
public final class ConnectionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final String nodeSuffix;

  public ConnectionIds(String nodeId) {
    this.nodeSuffix = "." + ENCODER.encodeToString(nodeId.getBytes(StandardCharsets.UTF_8));
  }

  public String next() {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    return ENCODER.encodeToString(random) + nodeSuffix;
  }

  /** The node that holds {@code connectionId}, or null for an id no node made. */
  public static String nodeOf(String connectionId) {
    if (connectionId == null || connectionId.length() > 256) {
      return null;
    }
    int dot = connectionId.indexOf('.');
    if (dot != 16 || dot == connectionId.length() - 1) {
      return null;
    }
    try {
      return new String(DECODER.decode(connectionId.substring(dot + 1)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
