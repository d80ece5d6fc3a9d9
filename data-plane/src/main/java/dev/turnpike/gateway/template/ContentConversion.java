package dev.turnpike.gateway.template;

import dev.turnpike.contracts.config.ContentHandling;
import dev.turnpike.gateway.integration.BinaryMediaTypes;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import io.vertx.core.buffer.Buffer;
import java.util.Base64;

/**
 * API Gateway's {@code contentHandling} on a body: {@code CONVERT_TO_TEXT} turns a binary body (one
 * whose Content-Type is among the API's binary media types) into its base64 text, {@code
 * CONVERT_TO_BINARY} reads a text body as base64 and turns it into the bytes it encodes; a body
 * already of the wanted kind, or no handling, passes as it is.
 */
public final class ContentConversion {
  private ContentConversion() {}

  /**
   * @param failure what a text body that is not base64 answers (the client's 400 on a request, the
   *     configuration's 500 on a response)
   */
  public static Buffer apply(
      ContentHandling handling,
      BinaryMediaTypes binaryTypes,
      String contentType,
      Buffer body,
      GatewayResponseType failure) {
    if (handling == null || body.length() == 0) {
      return body;
    }
    boolean binary = binaryTypes.matches(contentType);
    return switch (handling) {
      case CONVERT_TO_TEXT ->
          binary ? Buffer.buffer(Base64.getEncoder().encodeToString(body.getBytes())) : body;
      case CONVERT_TO_BINARY -> binary ? body : decode(body, failure);
    };
  }

  private static Buffer decode(Buffer body, GatewayResponseType failure) {
    try {
      return Buffer.buffer(Base64.getDecoder().decode(body.toString().strip()));
    } catch (IllegalArgumentException e) {
      throw new GatewayFailure(failure);
    }
  }
}
