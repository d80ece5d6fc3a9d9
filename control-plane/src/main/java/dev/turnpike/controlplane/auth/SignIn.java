package dev.turnpike.controlplane.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a verified token into a {@link Caller}, creating the user row the first time a subject
 * signs in. Remembers callers it has seen, so steady traffic does not write the users table on
 * every request; a changed email, verification or name misses the memory and is written.
 */
public final class SignIn {
  private static final int MAX_REMEMBERED = 10_000;

  private final UserDirectory users;
  private final Map<VerifiedToken, Caller> remembered = new ConcurrentHashMap<>();

  public SignIn(UserDirectory users) {
    this.users = users;
  }

  /** Blocking: may write the users table. */
  public Caller signIn(VerifiedToken token) {
    Caller known = remembered.get(token);
    if (known != null) {
      return known;
    }
    Caller caller =
        new Caller(
            users.signIn(
                token.subject(), token.email(), token.emailVerified(), token.displayName()),
            token.subject(),
            token.email(),
            token.displayName());
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.clear();
    }
    remembered.put(token, caller);
    return caller;
  }
}
