package dev.turnpike.gateway.integration;

/** What the client was sent: the status and the body bytes. */
public record IntegrationResult(int status, long bytesOut) {}
