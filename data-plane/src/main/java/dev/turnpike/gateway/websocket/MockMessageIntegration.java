package dev.turnpike.gateway.websocket;

import dev.turnpike.contracts.config.MockResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** A mock route: answers its fixed status and body, encoded once per deployment. */
final class MockMessageIntegration implements MessageIntegration {
  private final Future<MessageReply> reply;

  MockMessageIntegration(MockResponse response) {
    MockResponse mock = response == null ? new MockResponse(200, null, null) : response;
    if (mock.statusCode() < 100 || mock.statusCode() > 599) {
      throw new IllegalArgumentException("mock status must be 100..599, was " + mock.statusCode());
    }
    reply = Future.succeededFuture(new MessageReply(mock.statusCode(), Buffer.buffer(mock.body())));
  }

  @Override
  public Future<MessageReply> invoke(MessageEvent event) {
    return reply;
  }
}
