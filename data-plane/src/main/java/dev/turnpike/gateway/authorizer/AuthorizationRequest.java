package dev.turnpike.gateway.authorizer;

import dev.turnpike.gateway.domain.ClientCertificate;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * What an authorizer may look at: the request's head (its body is not read yet and is not the
 * authorizer's), the matched route and the stage.
 *
 * @param methodArn {@code arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}},
 *     the resource a Lambda authorizer's policy statements are matched against
 * @param resourcePath the route's resource, e.g. {@code /pets/{petId}}
 * @param sourceIp the client's address as the forwarding rules determined it
 * @param clientCert the certificate a mutual-TLS custom domain verified; null otherwise
 * @param traceparent the gateway's {@code traceparent} for an authorizer it calls (its authorizer
 *     span), null when the gateway does not trace the request
 */
public record AuthorizationRequest(
    HttpServerRequest request,
    String tenantId,
    String apiId,
    String stage,
    String httpMethod,
    String resourcePath,
    Map<String, String> pathParameters,
    Map<String, String> stageVariables,
    String requestId,
    String sourceIp,
    String methodArn,
    long epochMillis,
    ClientCertificate clientCert,
    String traceparent) {

  /** A request the gateway does not trace. */
  public AuthorizationRequest(
      HttpServerRequest request,
      String tenantId,
      String apiId,
      String stage,
      String httpMethod,
      String resourcePath,
      Map<String, String> pathParameters,
      Map<String, String> stageVariables,
      String requestId,
      String sourceIp,
      String methodArn,
      long epochMillis,
      ClientCertificate clientCert) {
    this(
        request,
        tenantId,
        apiId,
        stage,
        httpMethod,
        resourcePath,
        pathParameters,
        stageVariables,
        requestId,
        sourceIp,
        methodArn,
        epochMillis,
        clientCert,
        null);
  }

  /** A request without a client certificate. */
  public AuthorizationRequest(
      HttpServerRequest request,
      String tenantId,
      String apiId,
      String stage,
      String httpMethod,
      String resourcePath,
      Map<String, String> pathParameters,
      Map<String, String> stageVariables,
      String requestId,
      String sourceIp,
      String methodArn,
      long epochMillis) {
    this(
        request,
        tenantId,
        apiId,
        stage,
        httpMethod,
        resourcePath,
        pathParameters,
        stageVariables,
        requestId,
        sourceIp,
        methodArn,
        epochMillis,
        null);
  }
}
