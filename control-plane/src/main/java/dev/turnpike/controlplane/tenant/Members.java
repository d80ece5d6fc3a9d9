package dev.turnpike.controlplane.tenant;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.FieldError;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of a tenant's members. Only owners change memberships, and a tenant always keeps at
 * least one owner.
 */
public final class Members {
  private static final Set<String> ROLES = Set.of("owner", "admin", "viewer");

  public record PutMember(String role) {}

  /** A person to add, named by the email address they sign in with. */
  public record AddMember(String email, String role) {}

  private final OwnerLimits limits;
  private final TxStore<TenantStore> tenantStore;

  public Members(TxStore<TenantStore> tenantStore, OwnerLimits limits) {
    this.tenantStore = tenantStore;
    this.limits = limits;
  }

  public List<Member> list(TenantTx tx) {
    return tenantStore.in(tx).members();
  }

  public Member put(TenantTx tx, UUID userId, PutMember input) {
    Validation v = new Validation();
    validateRole(v, input.role());
    v.throwIfInvalid();
    TenantStore store = tenantStore.in(tx);
    if (!store.userExists(userId)) {
      throw ApiFailure.notFound("User " + userId + " (they must sign in once first)");
    }
    Role role = Role.valueOf(input.role().toUpperCase(Locale.ROOT));
    Member before = store.member(userId).orElse(null);
    if (before == null) {
      limits.check(Limit.MEMBERS_PER_TENANT, store.members().size() + 1L, null);
    }
    if (before != null && before.role().equals("owner") && role != Role.OWNER) {
      requireAnotherOwner(store, userId);
    }
    store.putMember(userId, role, tx.now());
    Member after = store.member(userId).orElseThrow();
    tx.audit()
        .record(before == null ? "member.add" : "member.update", "member", userId, before, after);
    return after;
  }

  /**
   * Adds the person whose identity provider verified this email address, if there is exactly one;
   * someone who is a member already keeps their role (409). Whether anyone else was found is not
   * told: an address nobody holds, one registered but never verified and one several people
   * verified all answer empty, so the answer is no oracle for who has an account. (An address
   * someone registered without verifying it is the attack: anyone can register any address.)
   *
   * @return the new member, or empty when nobody was added
   */
  public Optional<Member> add(TenantTx tx, AddMember input) {
    Validation v = new Validation();
    if (v.required("/email", input.email())) {
      v.length("/email", input.email(), 3, 320);
    }
    validateRole(v, input.role());
    v.throwIfInvalid();
    TenantStore store = tenantStore.in(tx);
    List<UUID> users = store.usersWithVerifiedEmail(input.email().trim());
    if (users.size() != 1) {
      return Optional.empty();
    }
    UUID userId = users.getFirst();
    Member already = store.member(userId).orElse(null);
    if (already != null) {
      throw new ApiFailure(
          ProblemKind.CONFLICT,
          "Already a member",
          List.of(
              new FieldError(
                  "/email", "is a member already (" + already.role() + "); change their role")));
    }
    return Optional.of(put(tx, userId, new PutMember(input.role())));
  }

  public void remove(TenantTx tx, UUID userId) {
    TenantStore store = tenantStore.in(tx);
    Member before = store.member(userId).orElseThrow(() -> ApiFailure.notFound("Member " + userId));
    if (before.role().equals("owner")) {
      requireAnotherOwner(store, userId);
    }
    store.removeMember(userId);
    tx.audit().record("member.remove", "member", userId, before, null);
  }

  private static void validateRole(Validation v, String role) {
    if (v.required("/role", role)) {
      v.check("/role", role, ROLES::contains, "must be one of owner, admin, viewer");
    }
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
