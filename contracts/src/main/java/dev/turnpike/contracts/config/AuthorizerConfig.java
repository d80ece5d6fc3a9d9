package dev.turnpike.contracts.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One authorizer of a deployed API, frozen in the deployment snapshot so a gateway node decides
 * calls without asking the control plane.
 *
 * @param authorizerId unique within the API; routes name it in {@link RouteAuthorization}
 * @param name the owner's name for it, for logs and messages
 * @param identitySources where the identity comes from, in API Gateway's syntax: {@code
 *     $request.header.Authorization} (HTTP API) or {@code method.request.header.Authorization}
 *     (REST); also {@code querystring}, {@code $stageVariables.x}, {@code $context.x}. A JWT
 *     authorizer reads exactly one (default {@code $request.header.Authorization}); a TOKEN
 *     authorizer one header; a REQUEST authorizer every one it names (all must be present)
 * @param jwt issuer and audiences, for {@link AuthorizerType#JWT}; null otherwise
 * @param function the function a TOKEN or REQUEST authorizer invokes, resolved from the tenant's
 *     function registry at deployment as integrations' functions are; null when {@code endpointUrl}
 *     is used or for JWT
 * @param endpointUrl a plain http(s) endpoint taking the same JSON event by POST and answering as a
 *     Lambda authorizer does, instead of a function; null otherwise
 * @param timeoutMillis how long the gateway waits for a Lambda-style authorizer's answer
 * @param resultTtlSeconds how long a decision (allow or deny) is cached per identity; 0 for none
 * @param identityValidationExpression TOKEN only: a regular expression the token must match before
 *     the authorizer is called; null for none
 * @param payloadFormatVersion REQUEST: {@code 1.0} (REST API event) or {@code 2.0} (HTTP API event)
 * @param simpleResponses payload 2.0 only: the answer is {@code {"isAuthorized": bool, "context":
 *     {...}}} instead of an IAM policy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthorizerConfig(
    String authorizerId,
    String name,
    AuthorizerType type,
    List<String> identitySources,
    JwtConfiguration jwt,
    FunctionTarget function,
    String endpointUrl,
    int timeoutMillis,
    int resultTtlSeconds,
    String identityValidationExpression,
    String payloadFormatVersion,
    boolean simpleResponses) {
  /** API Gateway's default {@code authorizerResultTtlInSeconds}. */
  public static final int DEFAULT_RESULT_TTL_SECONDS = 300;

  /** The largest {@code authorizerResultTtlInSeconds} API Gateway accepts. */
  public static final int MAX_RESULT_TTL_SECONDS = 3600;

  /** API Gateway waits at most this long for a Lambda authorizer. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 10_000;

  public AuthorizerConfig {
    identitySources = identitySources == null ? List.of() : List.copyOf(identitySources);
    type = type == null ? AuthorizerType.UNKNOWN : type;
    payloadFormatVersion =
        payloadFormatVersion == null ? FunctionTarget.PAYLOAD_1_0 : payloadFormatVersion;
  }

  /** A JWT authorizer. */
  public static AuthorizerConfig jwt(
      String authorizerId, String name, String identitySource, JwtConfiguration jwt) {
    return new AuthorizerConfig(
        authorizerId,
        name,
        AuthorizerType.JWT,
        List.of(identitySource),
        jwt,
        null,
        null,
        0,
        0,
        null,
        FunctionTarget.PAYLOAD_2_0,
        false);
  }
}
