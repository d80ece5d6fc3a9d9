package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.controlplane.apikey.ApiKeys.CreateKey;
import dev.turnpike.controlplane.app.App;
import dev.turnpike.controlplane.app.Apps.CreateApp;
import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.portal.DeveloperBlocks.Block;
import dev.turnpike.controlplane.portal.Developers.Profile;
import dev.turnpike.controlplane.portal.PortalAdmin.Visibility;
import dev.turnpike.controlplane.problem.ProblemKind;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the owner decides about their portal's developers and plans, on in-memory stores. */
class PortalOwnerUseCasesTest {
  private final Tenancy t = new Tenancy();
  private final Caller developer = t.cp.user("dev@example.com");

  private App registeredWithAKey() {
    t.cp.inPortal(
        developer,
        t.tenant,
        tx -> t.cp.portal().developers().register(tx, new Profile("Dev", "dev@example.com", null)));
    App app =
        t.cp.inPortal(
            developer, t.tenant, tx -> t.u.apps().create(tx, new CreateApp("mobile", null)));
    t.cp.inPortal(
        developer, t.tenant, tx -> t.u.keys().create(tx, app.id(), new CreateKey("ci", null)));
    return app;
  }

  @Test
  void blocking_a_developer_holds_their_apps_and_tells_the_gateway() {
    App app = registeredWithAKey();

    t.write(
        tx -> t.cp.portal().blocks().block(tx, developer.userId(), new Block("unpaid invoices")));

    assertThat(t.write(tx -> t.u.apps().get(tx, app.id())).status()).isEqualTo("blocked");
    KeyRecord last =
        KeyRecord.CODEC.decode(
            t.cp.outbox(t.tenant).stream()
                .filter(e -> e.topic().equals(Topics.KEYS))
                .toList()
                .getLast()
                .payload());
    assertThat(last.status()).isNotEqualTo(KeyStatus.ENABLED);
  }

  @Test
  void a_block_needs_a_reason_and_changes_nothing_without_one() {
    App app = registeredWithAKey();

    assertThat(
            t.failure(tx -> t.cp.portal().blocks().block(tx, developer.userId(), new Block(" ")))
                .kind())
        .isEqualTo(ProblemKind.VALIDATION_FAILED);
    assertThat(t.write(tx -> t.u.apps().get(tx, app.id())).status()).isEqualTo("active");
  }

  @Test
  void only_a_plan_of_this_tenant_can_be_hidden() {
    assertThat(
            t.failure(
                    tx ->
                        t.cp
                            .portal()
                            .admin()
                            .setPlanVisibility(tx, UUID.randomUUID(), new Visibility(false)))
                .kind())
        .isEqualTo(ProblemKind.NOT_FOUND);
  }
}
