package dev.turnpike.controlplane.tenant;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of a tenant's members. Only owners change memberships, and a tenant always keeps at
 * least one owner.
 */
public final class Members {
  public record PutMember(String role) {}

  public List<Member> list(TenantTx tx) {
    return tx.store(TenantStore.class).members();
  }

  public Member put(TenantTx tx, UUID userId, PutMember input) {
    Validation v = new Validation();
    if (v.required("/role", input.role())) {
      v.check(
          "/role",
          input.role(),
          r -> Set.of("owner", "admin", "viewer").contains(r),
          "must be one of owner, admin, viewer");
    }
    v.throwIfInvalid();
    TenantStore store = tx.store(TenantStore.class);
    if (!store.userExists(userId)) {
      throw ApiFailure.notFound("User " + userId + " (they must sign in once first)");
    }
    Role role = Role.valueOf(input.role().toUpperCase(Locale.ROOT));
    Member before = store.member(userId).orElse(null);
    if (before != null && before.role().equals("owner") && role != Role.OWNER) {
      requireAnotherOwner(store, userId);
    }
    store.putMember(userId, role, tx.now());
    Member after = store.member(userId).orElseThrow();
    tx.audit()
        .record(before == null ? "member.add" : "member.update", "member", userId, before, after);
    return after;
  }

  public void remove(TenantTx tx, UUID userId) {
    TenantStore store = tx.store(TenantStore.class);
    Member before = store.member(userId).orElseThrow(() -> ApiFailure.notFound("Member " + userId));
    if (before.role().equals("owner")) {
      requireAnotherOwner(store, userId);
    }
    store.removeMember(userId);
    tx.audit().record("member.remove", "member", userId, before, null);
  }

  private static void requireAnotherOwner(TenantStore store, UUID leaving) {
    boolean another =
        store.members().stream()
            .anyMatch(m -> m.role().equals("owner") && !m.userId().equals(leaving));
    if (!another) {
      throw ApiFailure.conflict("A tenant must keep at least one owner");
    }
  }
}
