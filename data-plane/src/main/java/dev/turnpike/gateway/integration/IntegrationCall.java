package dev.turnpike.gateway.integration;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.Map;

/**
 * What an integration needs to serve one request.
 *
 * @param body the request body as it streams in (counted and size-limited by the gateway); read it
 *     instead of {@code request}
 * @param pathParameters decoded values of the matched route's {@code {name}} and {@code {name+}}
 * @param clientAddress the caller's IP, for {@code X-Forwarded-For}
 */
public record IntegrationCall(
    HttpServerRequest request,
    ReadStream<Buffer> body,
    Map<String, String> pathParameters,
    Map<String, String> stageVariables,
    String requestId,
    String clientAddress) {}
