package dev.turnpike.platform.demo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The demo function: an ordinary Lambda handler for API Gateway's REST proxy event (payload 1.0),
 * written as one would write it for AWS Lambda, served by the demo backend through {@link
 * InvokeApi}. It greets ({@code ?name=}) and answers with what API Gateway's event told it, so the
 * tour shows what a function behind Turnpike receives.
 */
public final class DemoFunction
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    Map<String, String> query = event.getQueryStringParameters();
    String name = query == null ? null : query.get("name");
    ObjectNode answer = JSON.createObjectNode();
    answer.put("message", "Hello, " + (name == null ? "world" : name) + ", from a function!");
    answer.put("servedBy", "turnpike demo function " + context.getFunctionName());
    answer.put("httpMethod", event.getHttpMethod());
    answer.put("resource", event.getResource());
    answer.put("path", event.getPath());
    APIGatewayProxyRequestEvent.ProxyRequestContext request = event.getRequestContext();
    if (request != null) {
      answer.put("stage", request.getStage());
      answer.put("requestId", request.getRequestId());
      if (request.getIdentity() != null) {
        answer.put("sourceIp", request.getIdentity().getSourceIp());
      }
    }
    answer.put("body", event.getBody());
    answer.put("isBase64Encoded", Boolean.TRUE.equals(event.getIsBase64Encoded()));
    try {
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(200)
          .withHeaders(Map.of("Content-Type", "application/json"))
          .withBody(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } catch (JsonProcessingException e) {
      // Lambda reports what a handler throws as a function error; so does InvokeApi.
      throw new IllegalStateException("cannot write the answer", e);
    }
  }
}
