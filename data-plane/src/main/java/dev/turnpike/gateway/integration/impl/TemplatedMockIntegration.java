package dev.turnpike.gateway.integration.impl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contracts.config.TemplateRules;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import dev.turnpike.gateway.integration.WholeBody;
import dev.turnpike.gateway.response.GatewayFailure;
import dev.turnpike.gateway.response.GatewayResponseType;
import dev.turnpike.gateway.template.BackendReply;
import dev.turnpike.gateway.template.IntegrationResponses;
import dev.turnpike.gateway.template.RequestMapping;
import dev.turnpike.gateway.template.ResponseMapping;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * API Gateway's {@code mock} integration with integration responses: the integration request's body
 * (its request template's output, or the body passed through) is a JSON object whose {@code
 * statusCode} picks the integration response, matched by selection pattern as a backend status
 * would be; the response then shapes the method response with an empty body as {@code $input}. A
 * body without a usable {@code statusCode} counts as 200, as a mock without a template answers.
 */
public final class TemplatedMockIntegration implements Integration {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_STATUS = 200;

  private final RequestMapping requestMapping;
  private final IntegrationResponses responses;
  private final ResponseMapping responseMapping;

  public TemplatedMockIntegration(
      RequestMapping requestMapping,
      IntegrationResponses responses,
      ResponseMapping responseMapping) {
    this.requestMapping = requestMapping;
    this.responses = responses;
    this.responseMapping = responseMapping;
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    return WholeBody.read(call, MappedHttpIntegration.MAX_BODY_BYTES)
        .compose(body -> requestMapping.map(call, body))
        .compose(
            body -> {
              int status = statusCode(body.body());
              IntegrationResponses.Chosen chosen = responses.select(Integer.toString(status));
              if (chosen == null) {
                return Future.failedFuture(
                    new GatewayFailure(GatewayResponseType.API_CONFIGURATION_ERROR));
              }
              MultiMap headers = MultiMap.caseInsensitiveMultiMap();
              headers.set("Content-Type", "application/json");
              return responseMapping.map(
                  chosen, new BackendReply(status, headers, Buffer.buffer()), call);
            })
        .compose(response -> response.send(call.request().response(), call.tap()));
  }

  static int statusCode(Buffer body) {
    return TemplateRules.mockStatus(body.getBytes());
  }

  @Override
  public boolean callsBackend() {
    return false;
  }
}
