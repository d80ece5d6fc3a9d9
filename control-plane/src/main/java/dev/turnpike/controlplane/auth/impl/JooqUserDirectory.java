package dev.turnpike.controlplane.auth.impl;

import static dev.turnpike.db.Tables.USERS;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.UserDirectory;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * {@link UserDirectory} on the users table, which is not tenant-owned: the application role reads
 * and writes it without a tenant scope.
 */
public final class JooqUserDirectory implements UserDirectory {
  private final DSLContext app;

  public JooqUserDirectory(DSLContext app) {
    this.app = app;
  }

  @Override
  public UUID signIn(String subject, String email, boolean emailVerified, String displayName) {
    return app.insertInto(USERS)
        .set(USERS.ID, UUID.randomUUID())
        .set(USERS.KEYCLOAK_SUBJECT, subject)
        .set(USERS.EMAIL, email)
        .set(USERS.EMAIL_VERIFIED, emailVerified)
        .set(USERS.DISPLAY_NAME, displayName)
        .onConflict(USERS.KEYCLOAK_SUBJECT)
        .doUpdate()
        .set(USERS.EMAIL, email)
        .set(USERS.EMAIL_VERIFIED, emailVerified)
        .set(USERS.DISPLAY_NAME, displayName)
        .returning(USERS.ID)
        .fetchOne(USERS.ID);
  }

  @Override
  public Optional<Caller> find(UUID userId) {
    return app.selectFrom(USERS)
        .where(USERS.ID.eq(userId))
        .fetchOptional(
            r -> new Caller(r.getId(), r.getKeycloakSubject(), r.getEmail(), r.getDisplayName()));
  }
}
