package dev.turnpike.gateway.integration.impl;

import dev.turnpike.contracts.config.MockResponse;
import dev.turnpike.gateway.integration.Integration;
import dev.turnpike.gateway.integration.IntegrationCall;
import dev.turnpike.gateway.integration.IntegrationResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** Answers with a fixed response and no backend; the body is encoded once per deployment. */
public final class MockIntegration implements Integration {
  private final int status;
  private final Map<String, String> headers;
  private final Buffer body;
  private final IntegrationResult result;

  public MockIntegration(MockResponse response) {
    if (response == null) {
      throw new IllegalArgumentException("a mock integration needs a mock response");
    }
    if (response.statusCode() < 100 || response.statusCode() > 599) {
      throw new IllegalArgumentException(
          "mock status must be 100..599, was " + response.statusCode());
    }
    this.status = response.statusCode();
    this.headers = response.headers();
    this.body = Buffer.buffer(response.body());
    this.result = new IntegrationResult(status, body.length());
  }

  @Override
  public Future<IntegrationResult> serve(IntegrationCall call) {
    HttpServerResponse response = call.request().response();
    response.setStatusCode(status);
    headers.forEach(response::putHeader);
    if (!headers.containsKey("content-type") && !headers.containsKey("Content-Type")) {
      response.putHeader("content-type", "application/json");
    }
    call.tap().write(body);
    call.tap().end();
    return response.end(body).map(result);
  }

  @Override
  public boolean callsBackend() {
    return false;
  }
}
