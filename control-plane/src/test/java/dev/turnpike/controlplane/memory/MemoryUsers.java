package dev.turnpike.controlplane.memory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The platform's users, rows no tenant owns. */
final class MemoryUsers {
  static final String TABLE = "users";

  /** The owner of rows that belong to no tenant. */
  static final UUID PLATFORM = new UUID(0, 0);

  record User(
      UUID id, String email, String displayName, boolean emailVerified, Instant createdAt) {}

  private MemoryUsers() {}

  static void add(MemoryDb.Tx tx, User user) {
    tx.table(TABLE, PLATFORM, User.class).put(user.id(), user);
  }

  static Optional<User> find(MemoryDb.Tx tx, UUID userId) {
    return tx.table(TABLE, PLATFORM, User.class).get(userId);
  }

  static List<User> all(MemoryDb.Tx tx) {
    return tx.table(TABLE, PLATFORM, User.class).all();
  }
}
