package dev.turnpike.metering.webhook.impl;

import static dev.turnpike.db.Tables.API_KEYS;
import static dev.turnpike.db.Tables.APPS;
import static dev.turnpike.db.Tables.OUTBOX;
import static dev.turnpike.db.Tables.SUBSCRIPTIONS;

import dev.turnpike.contracts.Topics;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.db.tables.records.ApiKeysRecord;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Writes an app's keys to the outbox as the gateway reads them, in the change's own transaction;
 * the control plane's outbox relay publishes them to {@link Topics#KEYS}. The records are exactly
 * what the control plane's key publisher writes for the same rows (same key, {@link
 * KeyStatus#published} rule, sorted plan ids), so whichever side publishes last, the gateway sees
 * the same truth.
 */
final class KeyRecordOutbox {
  private KeyRecordOutbox() {}

  static void publishApp(DSLContext tx, UUID tenantId, UUID appId) {
    String appStatus =
        tx.select(APPS.STATUS)
            .from(APPS)
            .where(APPS.TENANT_ID.eq(tenantId), APPS.ID.eq(appId))
            .fetchOne(APPS.STATUS);
    List<String> plans =
        tx
            .selectDistinct(SUBSCRIPTIONS.PLAN_ID)
            .from(SUBSCRIPTIONS)
            .where(
                SUBSCRIPTIONS.TENANT_ID.eq(tenantId),
                SUBSCRIPTIONS.APP_ID.eq(appId),
                SUBSCRIPTIONS.STATUS.eq("active"))
            .fetch(SUBSCRIPTIONS.PLAN_ID)
            .stream()
            .map(UUID::toString)
            .sorted()
            .toList();
    List<ApiKeysRecord> keys =
        tx.selectFrom(API_KEYS)
            .where(API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.APP_ID.eq(appId))
            .orderBy(API_KEYS.CREATED_AT, API_KEYS.ID)
            .fetch();
    for (ApiKeysRecord key : keys) {
      if (!KeyStatus.republishedWithApp(key.getStatus())) {
        continue;
      }
      KeyRecord record =
          new KeyRecord(
              KeyRecord.SCHEMA_VERSION,
              key.getKeyHash(),
              key.getId().toString(),
              key.getPrefix(),
              tenantId.toString(),
              appId.toString(),
              plans,
              KeyStatus.published(key.getStatus(), appStatus),
              key.getExpiresAt() == null ? null : key.getExpiresAt().toInstant());
      tx.insertInto(OUTBOX)
          .set(OUTBOX.TENANT_ID, tenantId)
          .set(OUTBOX.TOPIC, Topics.KEYS)
          .set(OUTBOX.MESSAGE_KEY, key.getKeyHash())
          .set(OUTBOX.PAYLOAD, KeyRecord.CODEC.encode(record))
          .execute();
    }
  }
}
