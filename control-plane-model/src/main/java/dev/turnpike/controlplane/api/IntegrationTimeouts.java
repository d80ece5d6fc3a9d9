package dev.turnpike.controlplane.api;

/** The range an integration's connect and request timeouts must fall in, as API Gateway's. */
public final class IntegrationTimeouts {
  public static final int MIN_MS = 50;
  public static final int MAX_MS = 29_000;

  private IntegrationTimeouts() {}
}
