package dev.turnpike.controlplane.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant row and its members, within one tenant-scoped transaction. */
public interface TenantStore {
  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the slug is taken
   */
  void insert(Tenant tenant);

  Optional<Tenant> find(UUID tenantId);

  List<Member> members();

  Optional<Member> member(UUID userId);

  /** Inserts or changes a membership. */
  void putMember(UUID userId, Role role, Instant now);

  void removeMember(UUID userId);

  boolean userExists(UUID userId);

  /** The users who signed in with this email address, compared without regard to case. */
  List<UUID> usersWithEmail(String email);
}
