package dev.turnpike.contracts.billing;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.json.JsonCodec;
import dev.turnpike.contracts.json.Versioned;
import java.time.Instant;

/**
 * Billing's decision about one app after a payment changed its subscriptions: suspended while one
 * of them is unpaid, in good standing otherwise. Metering decides it and publishes it on {@link
 * Topics#BILLING_STANDING} keyed {@link Topics#appKey}; the control plane applies it to the app's
 * keys and republishes them to the gateways. Metering never writes key records itself.
 *
 * @param revision grows by one with every decision about the app; a reader applies a decision only
 *     when its revision is newer than the last one it applied, so a repeated or late record changes
 *     nothing
 * @param decidedAt when billing decided it (for logs; the revision orders decisions)
 */
public record BillingStanding(
    int schemaVersion,
    String tenantId,
    String appId,
    Standing standing,
    long revision,
    Instant decidedAt)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  public static final JsonCodec<BillingStanding> CODEC =
      JsonCodec.of(BillingStanding.class, SCHEMA_VERSION);

  /** The app's standing with billing. */
  public enum Standing {
    /** No subscription of the app is unpaid: its keys serve. */
    GOOD,
    /** A subscription of the app is unpaid: its keys are held until it is paid. */
    SUSPENDED,
    /** A standing this reader does not know; it is not applied. */
    @JsonEnumDefaultValue
    UNKNOWN;

    public static Standing of(boolean unpaid) {
      return unpaid ? SUSPENDED : GOOD;
    }

    /** The value stored in the standing tables' {@code standing} column. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Standing fromWire(String wire) {
      return switch (wire) {
        case "good" -> GOOD;
        case "suspended" -> SUSPENDED;
        default -> UNKNOWN;
      };
    }
  }

  /** The topic key of this record. */
  public String key() {
    return Topics.appKey(tenantId, appId);
  }

  /** Whether this decision comes after the one with {@code appliedRevision} (0: none yet). */
  public boolean newerThan(long appliedRevision) {
    return revision > appliedRevision;
  }
}
