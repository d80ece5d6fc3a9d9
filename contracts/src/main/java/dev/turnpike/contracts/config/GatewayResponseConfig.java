package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An owner's override of one gateway response type (e.g. {@code THROTTLED}); a null status keeps
 * the type's default status.
 *
 * @param headers literal header values
 * @param body a literal body, used when no template fits
 * @param responseParameters {@code gatewayresponse.header.X} from {@code method.request.header.Y},
 *     {@code method.request.querystring.Y}, {@code method.request.path.Y}, {@code
 *     stageVariables.Y}, {@code context.Y} or a {@code 'literal'}, as API Gateway's gateway
 *     responses map them
 * @param responseTemplates Velocity templates by Content-Type, rendered with {@code
 *     $context.error.message}, {@code $context.error.messageString} and {@code
 *     $context.error.responseType} besides the usual variables
 */
public record GatewayResponseConfig(
    Integer statusCode,
    Map<String, String> headers,
    String body,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> responseParameters,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> responseTemplates) {
  public GatewayResponseConfig {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    responseParameters = responseParameters == null ? Map.of() : Map.copyOf(responseParameters);
    responseTemplates = responseTemplates == null ? Map.of() : Map.copyOf(responseTemplates);
  }

  /** An override with literal headers and body only. */
  public GatewayResponseConfig(Integer statusCode, Map<String, String> headers, String body) {
    this(statusCode, headers, body, Map.of(), Map.of());
  }
}
