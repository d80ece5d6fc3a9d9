package dev.turnpike.controlplane.authorizer;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.turnpike.contracts.config.JwtConfiguration;
import java.util.List;

/**
 * What an owner states about one authorizer, as the management API takes it and an OpenAPI
 * document's {@code x-amazon-apigateway-authorizer} describes it. {@link AuthorizerRules#check}
 * judges it and fills in API Gateway's defaults.
 *
 * @param type {@code jwt}, {@code token} or {@code request}
 * @param identitySources in API Gateway's syntax; see {@link AuthorizerRules}
 * @param jwt issuer and audiences of a {@code jwt} authorizer
 * @param function a {@code token} or {@code request} authorizer's registered function: a name
 *     (optionally {@code :alias}, possibly with {@code ${stageVariables.x}}) or a Lambda ARN
 * @param endpointUrl instead of {@code function}, a plain http(s) endpoint taking the same event
 * @param timeoutMillis how long the gateway waits for a Lambda-style authorizer
 * @param resultTtlSeconds how long a decision is cached per identity, 0 for none
 * @param identityValidationExpression {@code token} only: a regular expression (RE2 syntax) the
 *     token must match before the authorizer is called
 * @param payloadFormatVersion {@code 1.0} (REST API event) or {@code 2.0} (HTTP API event)
 * @param simpleResponses payload 2.0 {@code request} authorizers only: the answer is {@code
 *     {"isAuthorized": ..}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizerSpec(
    String type,
    List<String> identitySources,
    JwtConfiguration jwt,
    String function,
    String endpointUrl,
    Integer timeoutMillis,
    Integer resultTtlSeconds,
    String identityValidationExpression,
    String payloadFormatVersion,
    Boolean simpleResponses) {
  public static final String JWT = "jwt";
  public static final String TOKEN = "token";
  public static final String REQUEST = "request";

  /** Whether this is a Lambda-style ({@code token} or {@code request}) authorizer. */
  public boolean custom() {
    return TOKEN.equals(type) || REQUEST.equals(type);
  }

  /** The method {@code authorizationType} that goes with this authorizer's type. */
  public String authorizationType() {
    return JWT.equals(type) ? RouteAuthorizationRules.JWT : RouteAuthorizationRules.CUSTOM;
  }
}
