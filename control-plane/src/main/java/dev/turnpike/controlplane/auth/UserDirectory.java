package dev.turnpike.controlplane.auth;

import java.util.Optional;
import java.util.UUID;

/** Turnpike's own record of the people who signed in, keyed by their identity provider subject. */
public interface UserDirectory {
  /**
   * Creates the user on first sign-in, refreshes email, its verification and name after that;
   * returns the id.
   */
  UUID signIn(String subject, String email, boolean emailVerified, String displayName);

  Optional<Caller> find(UUID userId);
}
