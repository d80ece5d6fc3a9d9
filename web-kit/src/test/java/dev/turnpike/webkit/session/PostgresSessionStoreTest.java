package dev.turnpike.webkit.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.testkit.Await;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of a site, each its own Vert.x and store, on one database as the application role:
 * what one writes the other reads, stale copies are refused, and expired sessions disappear.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
class PostgresSessionStoreTest {
  private static final long THIRTY_MINUTES = Duration.ofMinutes(30).toMillis();

  private final TestDatabase db;

  /** The database is the class's: each test's sessions are a site of their own. */
  private final String site = "site-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  private final Vertx vertxA = Vertx.vertx();
  private final Vertx vertxB = Vertx.vertx();
  private final Blocking blocking = new Blocking("session-test-");
  private final PostgresSessionStore a;
  private final PostgresSessionStore b;

  PostgresSessionStoreTest(TestDatabase db) {
    this.db = db;
    this.a = PostgresSessionStore.create(vertxA, db.appDataSource(), blocking, site);
    this.b = PostgresSessionStore.create(vertxB, db.appDataSource(), blocking, site);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    await(vertxA.close());
    await(vertxB.close());
    blocking.close();
  }

  @Test
  void a_session_stored_by_one_instance_is_read_by_another_with_its_attributes() throws Exception {
    Session session = a.createSession(THIRTY_MINUTES);
    session.put("user", "ada").put("csrf", "token-1");
    await(a.put(session));

    Session read = await(b.get(session.id()));

    assertThat(read).isNotNull();
    assertThat(read.id()).isEqualTo(session.id());
    assertThat((String) read.get("user")).isEqualTo("ada");
    assertThat((String) read.get("csrf")).isEqualTo("token-1");
    assertThat(read.timeout()).isEqualTo(THIRTY_MINUTES);
    assertThat(await(b.size())).isEqualTo(1);
  }

  @Test
  void a_write_from_a_copy_older_than_the_stored_one_is_refused() throws Exception {
    Session session = a.createSession(THIRTY_MINUTES);
    await(a.put(session));
    Session onA = await(a.get(session.id()));
    Session onB = await(b.get(session.id()));

    await(a.put(onA.put("step", "A")));

    assertThatThrownBy(() -> await(b.put(onB.put("step", "B"))))
        .hasMessageContaining("version mismatch");
    assertThat((String) await(b.get(session.id())).get("step")).isEqualTo("A");
  }

  @Test
  void a_session_another_instance_ended_is_not_brought_back_by_a_request_in_flight()
      throws Exception {
    Session session = a.createSession(THIRTY_MINUTES);
    await(a.put(session));
    Session inFlight = await(b.get(session.id()));

    await(a.delete(session.id()));

    assertThatThrownBy(() -> await(b.put(inFlight))).hasMessageContaining("version mismatch");
    assertThat(await(b.get(session.id()))).isNull();
  }

  @Test
  void a_rotated_session_lives_under_its_new_id_only() throws Exception {
    Session session = a.createSession(THIRTY_MINUTES);
    await(a.put(session.put("csrf", "t")));
    Session read = await(b.get(session.id()));
    String oldId = read.id();

    read.regenerateId();
    await(b.delete(((AbstractSession) read).oldId()));
    await(b.put(read));

    assertThat(await(a.get(oldId))).isNull();
    assertThat((String) await(a.get(read.id())).get("csrf")).isEqualTo("t");
  }

  @Test
  void another_sites_sessions_are_not_seen() throws Exception {
    PostgresSessionStore other =
        PostgresSessionStore.create(vertxB, db.appDataSource(), blocking, site + "-other");
    try {
      Session session = a.createSession(THIRTY_MINUTES);
      await(a.put(session));

      assertThat(await(other.get(session.id()))).isNull();
      assertThat(await(other.size())).isZero();
    } finally {
      other.close();
    }
  }

  @Test
  void an_expired_session_is_absent_at_once_and_pruned_by_the_timer() throws Exception {
    PostgresSessionStore pruning =
        PostgresSessionStore.create(
            vertxB, db.appDataSource(), blocking, site + "-pruned", Duration.ofMillis(50), 2);
    try {
      Session kept = pruning.createSession(THIRTY_MINUTES);
      await(pruning.put(kept));
      for (int i = 0; i < 5; i++) {
        await(pruning.put(pruning.createSession(1)));
      }

      Await.until(
          Duration.ofSeconds(10),
          () -> rows(site + "-pruned") == 1,
          () -> "expired sessions left: " + (rows(site + "-pruned") - 1));

      assertThat(await(pruning.get(kept.id()))).isNotNull();
      assertThat(await(pruning.size())).isEqualTo(1);
    } finally {
      pruning.close();
    }
  }

  @Test
  void a_session_past_its_idle_timeout_is_not_returned_even_before_it_is_pruned() throws Exception {
    Session session = a.createSession(1);
    await(a.put(session));
    Await.until(
        Duration.ofSeconds(5),
        () -> System.currentTimeMillis() > session.lastAccessed() + 1,
        "the session's timeout to pass");

    assertThat(await(b.get(session.id()))).isNull();
    assertThat(rows(site)).isEqualTo(1);
  }

  private long rows(String site) {
    return ((Number)
            db.ownerDsl().fetchValue("select count(*) from web_sessions where site = ?", site))
        .longValue();
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
