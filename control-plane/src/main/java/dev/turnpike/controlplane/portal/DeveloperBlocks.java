package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.app.Apps;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.UUID;

/**
 * An owner blocks a developer of their portal, with a reason the developer is shown: every active
 * app of theirs is held, so their keys stop at the gateway (republished through the outbox in the
 * same transaction, as every key change is), and the portal lets them read but change nothing.
 * Unblocking gives back the apps the block held; keys that were disabled, revoked or suspended for
 * an unpaid bill stay so, because the block never touched the keys themselves.
 */
public final class DeveloperBlocks {
  public record Block(String reason) {}

  private final Apps apps;
  private final TxStore<PortalStore> portalStore;

  public DeveloperBlocks(TxStore<PortalStore> portalStore, Apps apps) {
    this.portalStore = portalStore;
    this.apps = apps;
  }

  public Developer block(TenantTx tx, UUID userId, Block in) {
    PortalStore store = portalStore.in(tx);
    Developer before = store.developer(userId).orElseThrow(() -> notFound(userId));
    String reason = in.reason() == null ? null : in.reason().strip();
    Validation v = new Validation();
    if (v.required("/reason", reason)) {
      v.length("/reason", reason, 1, 500);
    }
    v.throwIfInvalid();
    if (userId.equals(tx.caller().userId())) {
      throw ApiFailure.conflict("You cannot block yourself");
    }
    Developer after = before.block(reason, tx.now());
    store.updateDeveloper(after);
    // Apps created while blocked cannot exist (the portal refuses them), but a second block
    // after an unblock finds the apps active again: hold whatever is active now.
    apps.blockAppsOf(tx, userId);
    tx.audit().record("developer.block", "developer", userId, before, after);
    return after;
  }

  public Developer unblock(TenantTx tx, UUID userId) {
    PortalStore store = portalStore.in(tx);
    Developer before = store.developer(userId).orElseThrow(() -> notFound(userId));
    if (!before.blocked()) {
      return before;
    }
    Developer after = before.unblock(tx.now());
    store.updateDeveloper(after);
    apps.unblockAppsOf(tx, userId);
    tx.audit().record("developer.unblock", "developer", userId, before, after);
    return after;
  }

  private static ApiFailure notFound(UUID userId) {
    return ApiFailure.notFound("Developer " + userId + " in this portal");
  }
}
