package dev.turnpike.gateway.websocket;

import io.vertx.core.buffer.Buffer;

/** A route integration's answer: its status and, for a two-way route, the message to send back. */
public record MessageReply(int status, Buffer body) {
  public static final MessageReply EMPTY_OK = new MessageReply(200, Buffer.buffer());

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
