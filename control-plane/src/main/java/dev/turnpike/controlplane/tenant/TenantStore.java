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

  /** The caps the owner set for developers; fields they did not set are null. */
  DeveloperCaps caps();

  void saveCaps(DeveloperCaps caps);

  /**
   * How many tenants the user owns, across tenants; takes a lock that serialises the user's tenant
   * creations until the transaction ends, so two at once cannot both pass a cap.
   */
  int lockAndCountOwnedBy(UUID userId);

  List<Member> members();

  Optional<Member> member(UUID userId);

  /** Inserts or changes a membership. */
  void putMember(UUID userId, Role role, Instant now);

  void removeMember(UUID userId);

  boolean userExists(UUID userId);

  /**
   * The users whose identity provider verified this email address when they last signed in,
   * compared without regard to case. Unverified addresses are never matched: anyone may register
   * any address.
   */
  List<UUID> usersWithVerifiedEmail(String email);
}
