package dev.turnpike.gateway.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.WholeBody;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.template.BackendReply;
import dev.turnpike.gateway.template.IntegrationResponses;
import dev.turnpike.gateway.template.MethodResponse;
import dev.turnpike.gateway.template.RequestMapping;
import dev.turnpike.gateway.template.ResponseMapping;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's {@code aws} (non-proxy) integration with a Lambda function: the request template's
 * output (or the body, as the passthrough behaviour allows) is the function's payload; its answer
 * is shaped by the integration responses. A function error ({@code X-Amz-Function-Error}) is
 * matched by its {@code errorMessage} against the selection patterns, the default response taking
 * what none matches; a successful answer takes the default response. The response template sees the
 * function's answer (the error object for an error) as {@code $input}.
 *
 * <p>With no integration response at all, a successful answer passes through as a 200 {@code
 * application/json} and an error is 502, as the proxy integration's.
 */
public final class FunctionTemplateIntegration implements Integration {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionTemplateIntegration.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String functionName;
  private final FunctionEndpoint endpoint;
  private final RequestMapping requestMapping;
  private final IntegrationResponses responses;
  private final ResponseMapping responseMapping;

  public FunctionTemplateIntegration(
      String functionName,
      FunctionEndpoint endpoint,
      RequestMapping requestMapping,
      IntegrationResponses responses,
      ResponseMapping responseMapping) {
    this.functionName = functionName;
    this.endpoint = endpoint;
    this.requestMapping = requestMapping;
    this.responses = responses;
    this.responseMapping = responseMapping;
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    return WholeBody.read(call, FunctionEndpoint.MAX_PAYLOAD_BYTES)
        .compose(body -> requestMapping.map(call, body))
        .compose(payload -> endpoint.invoke(payload.body(), call))
        .compose(invocation -> respond(call, invocation))
        .compose(response -> response.send(call.request().response(), call.tap()));
  }

  private Future<MethodResponse> respond(IntegrationCall call, FunctionEndpoint.Invocation done) {
    if (done.status() != 200) {
      return fail(call, "Invoke API answered " + done.status());
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers.set("Content-Type", "application/json");
    boolean error = done.functionError() != null;
    if (responses.isEmpty()) {
      return error
          ? fail(call, "function error " + done.functionError())
          : Future.succeededFuture(new MethodResponse(200, headers, done.payload()));
    }
    IntegrationResponses.Chosen chosen =
        error ? responses.select(errorMessage(done.payload())) : responses.fallback();
    if (chosen == null) {
      return fail(call, "no integration response for the function's answer");
    }
    return responseMapping.map(chosen, new BackendReply(200, headers, done.payload()), call);
  }

  /** A function error's {@code errorMessage}, as API Gateway matches selection patterns on it. */
  static String errorMessage(Buffer payload) {
    try {
      JsonNode message = JSON.readTree(payload.getBytes()).get("errorMessage");
      return message == null || message.isNull() ? "" : message.asText();
    } catch (IOException e) {
      return "";
    }
  }

  private <T> Future<T> fail(IntegrationCall call, String why) {
    // The owner's clue to a 502 the client sees only as "Internal server error".
    call.log()
        .run(
            () ->
                LOG.debug(
                    "function {} failed, request {}: {}", functionName, call.requestId(), why));
    return Future.failedFuture(new GatewayFailure(GatewayResponseType.FUNCTION_FAILURE));
  }
}
