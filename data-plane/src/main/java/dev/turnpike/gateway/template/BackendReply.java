package dev.turnpike.gateway.template;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What an integration answered, whole: a backend's status, headers and body, or a mock's status
 * with no body.
 */
public record BackendReply(int status, MultiMap headers, Buffer body) {}
