package dev.turnpike.controlplane.apikey;

import dev.turnpike.contracts.billing.BillingStanding;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys, within one tenant-scoped transaction. Hashes never leave this port but to publish. */
public interface ApiKeyStore {
  /** A key with its hash, for publishing to the gateway. */
  record StoredKey(ApiKey key, String hash) {}

  /**
   * Locks the app (every change to an app's keys or subscriptions takes this lock first, so the key
   * records published for it are always computed from committed state) and returns its status;
   * empty when there is no such app or it was deleted.
   */
  Optional<String> lockApp(UUID appId);

  /**
   * The app's billing standing as the control plane last applied it (billing's decision, see {@code
   * standing.BillingStandings}); {@link BillingStanding.Standing#GOOD} when billing never decided
   * one. While it is suspended billing holds every key of the app, new ones included.
   */
  BillingStanding.Standing billingStanding(UUID appId);

  /** The plans of the app's active subscriptions. */
  List<UUID> activePlanIds(UUID appId);

  void insert(ApiKey key, String hash);

  /**
   * Inserts the key unless a key with this hash exists in any tenant; false when one does. (The
   * check runs on the unique index, beneath row-level security, so a clash with another tenant's
   * key is found without showing that key.)
   */
  boolean insertIfAbsent(ApiKey key, String hash);

  Optional<StoredKey> find(UUID appId, UUID keyId);

  /**
   * The app's keys that count against its cap at {@code now}: not revoked, not expired, and not
   * replaced by a rotation (a key in its grace period is counted through its replacement).
   *
   * @param except a key to leave out (the one being rotated), or null
   */
  int countLiveKeys(UUID appId, java.time.Instant now, UUID except);

  List<ApiKey> list(UUID appId);

  List<StoredKey> keysOf(UUID appId);

  void update(ApiKey key);
}
