package dev.turnpike.migrations;

import static dev.turnpike.db.Tables.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The users table is not tenant-owned, so row-level security does not guard it; the application
 * role holds exactly what signing in and reading users need, and an injected statement can neither
 * delete people nor move an account to another identity provider subject.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserGrantsTest {
  DSLContext app;
  DSLContext owner;
  UUID someone;

  @BeforeAll
  void start(TestDatabase db) {
    app = db.appDsl();
    owner = db.ownerDsl();
    someone = signIn("someone-" + UUID.randomUUID(), "someone@example.com", true);
  }

  /** The statement the control plane's sign-in runs as the application role. */
  UUID signIn(String subject, String email, boolean verified) {
    return app.insertInto(USERS)
        .set(USERS.ID, UUID.randomUUID())
        .set(USERS.KEYCLOAK_SUBJECT, subject)
        .set(USERS.EMAIL, email)
        .set(USERS.EMAIL_VERIFIED, verified)
        .set(USERS.DISPLAY_NAME, "Someone")
        .onConflict(USERS.KEYCLOAK_SUBJECT)
        .doUpdate()
        .set(USERS.EMAIL, email)
        .set(USERS.EMAIL_VERIFIED, verified)
        .set(USERS.DISPLAY_NAME, "Someone")
        .returning(USERS.ID)
        .fetchOne(USERS.ID);
  }

  @Nested
  class WhatTheApplicationDoes {
    @Test
    void signs_users_in_again_refreshing_email_and_its_verification() {
      String subject = "again-" + UUID.randomUUID();
      UUID first = signIn(subject, "old@example.com", true);
      UUID second = signIn(subject, "new@example.com", false);

      assertThat(second).isEqualTo(first);
      var row = app.selectFrom(USERS).where(USERS.ID.eq(first)).fetchOne();
      assertThat(row.getEmail()).isEqualTo("new@example.com");
      assertThat(row.getEmailVerified()).isFalse();
    }
  }

  @Nested
  class WhatItMayNot {
    @Test
    void delete_a_user() {
      assertThatThrownBy(() -> app.deleteFrom(USERS).where(USERS.ID.eq(someone)).execute())
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("permission denied");
      assertThat(owner.fetchExists(USERS, USERS.ID.eq(someone))).isTrue();
    }

    @Test
    void move_an_account_to_another_subject_or_id() {
      assertThatThrownBy(
              () ->
                  app.update(USERS)
                      .set(USERS.KEYCLOAK_SUBJECT, "attacker")
                      .where(USERS.ID.eq(someone))
                      .execute())
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(
              () ->
                  app.update(USERS)
                      .set(USERS.ID, UUID.randomUUID())
                      .where(USERS.ID.eq(someone))
                      .execute())
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("permission denied");
    }

    @Test
    void empty_the_table() {
      assertThatThrownBy(() -> app.truncate(USERS).execute())
          .isInstanceOf(DataAccessException.class)
          .hasMessageContaining("permission denied");
    }
  }
}
