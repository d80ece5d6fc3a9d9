package dev.turnpike.controlplane.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text: its blocks in, one block out. */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----",
          Pattern.DOTALL);

  /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}) and its DER bytes. */
  record Block(String label, byte[] der) {}

  private Pem() {}

  /**
   * The blocks of {@code text} in order.
   *
   * @throws IllegalArgumentException when there is text outside the blocks, or a block is not
   *     base64
   */
  static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    int end = 0;
    while (m.find()) {
      if (!text.substring(end, m.start()).isBlank()) {
        throw new IllegalArgumentException("has text outside its PEM blocks");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("has a " + m.group(1) + " block that is not base64", e);
      }
      blocks.add(new Block(m.group(1), der));
      end = m.end();
    }
    if (!text.substring(end).isBlank()) {
      throw new IllegalArgumentException(
          blocks.isEmpty() ? "is not PEM (-----BEGIN ...-----)" : "has text after its PEM blocks");
    }
    return blocks;
  }

  static String write(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
