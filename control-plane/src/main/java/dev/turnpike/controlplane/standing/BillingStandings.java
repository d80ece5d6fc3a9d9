package dev.turnpike.controlplane.standing;

import dev.turnpike.contracts.billing.BillingStanding;
import dev.turnpike.controlplane.apikey.ApiKeyStore;
import dev.turnpike.controlplane.apikey.KeyPublisher;
import dev.turnpike.controlplane.tx.Stores;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.Optional;
import java.util.UUID;

/**
 * Applies billing's standing of an app (metering decides it from the app's payments) to the app's
 * keys: while the app is suspended its enabled keys are held as {@code suspended}; in good standing
 * the keys billing held serve again. Every applied decision republishes the app's keys, since the
 * payment behind it may also have put a plan on them or taken one off. Only a decision newer than
 * the last one applied to the app changes anything, so a repeated or late record is harmless.
 */
public final class BillingStandings {
  /** What applying a decision did. */
  public enum Outcome {
    APPLIED,
    /** Its revision is not newer than the one already applied: a repeat or a late record. */
    STALE,
    /** The app is gone (deleted) or unknown in the tenant. */
    NO_APP,
    /** A standing this control plane does not know (a newer metering): left as it is. */
    UNKNOWN_STANDING
  }

  private final TxStore<ApiKeyStore> keyStore;
  private final TxStore<StandingStore> standingStore;
  private final KeyPublisher publisher;

  public BillingStandings(
      TxStore<ApiKeyStore> keyStore, TxStore<StandingStore> standingStore, KeyPublisher publisher) {
    this.keyStore = keyStore;
    this.standingStore = standingStore;
    this.publisher = publisher;
  }

  /**
   * Wired with the ports {@code stores} serves (fails at once naming a store it does not serve).
   */
  public static BillingStandings on(Stores<?> stores) {
    TxStore<ApiKeyStore> keys = stores.port(ApiKeyStore.class);
    return new BillingStandings(keys, stores.port(StandingStore.class), new KeyPublisher(keys));
  }

  /** Applies the decision in the tenant's transaction; the decision must be of that tenant. */
  public Outcome apply(TenantTx tx, BillingStanding decision) {
    if (!tx.tenantId().toString().equals(decision.tenantId())) {
      throw new IllegalArgumentException("a decision of another tenant: " + decision);
    }
    UUID appId = UUID.fromString(decision.appId());
    ApiKeyStore keys = keyStore.in(tx);
    StandingStore standings = standingStore.in(tx);
    // The app lock orders this with every other change to the app's keys and subscriptions.
    Optional<String> appStatus = keys.lockApp(appId);
    if (appStatus.isEmpty()) {
      return Outcome.NO_APP;
    }
    if (decision.standing() == BillingStanding.Standing.UNKNOWN) {
      return Outcome.UNKNOWN_STANDING;
    }
    if (!decision.newerThan(standings.appliedRevision(appId))) {
      return Outcome.STALE;
    }
    standings.save(
        appId, decision.standing().wire(), decision.revision(), decision.decidedAt(), tx.now());
    boolean suspended = decision.standing() == BillingStanding.Standing.SUSPENDED;
    String from = suspended ? "enabled" : "suspended";
    String to = suspended ? "suspended" : "enabled";
    for (ApiKeyStore.StoredKey stored : keys.keysOf(appId)) {
      if (stored.key().status().equals(from)) {
        keys.update(stored.key().withStatus(to));
      }
    }
    publisher.publishApp(tx, appId, appStatus.get());
    return Outcome.APPLIED;
  }
}
