package dev.turnpike.controlplane.auth;

import java.util.UUID;

/**
 * The signed-in person behind a request: their Turnpike user id and their identity provider
 * subject.
 */
public record Caller(UUID userId, String subject, String email, String displayName) {
  /** How the audit log names the caller. */
  public String label() {
    return email != null ? email : subject;
  }
}
