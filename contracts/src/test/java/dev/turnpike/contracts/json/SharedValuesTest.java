package dev.turnpike.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.config.PlanRecord;
import dev.turnpike.contracts.config.QuotaLimit;
import dev.turnpike.contracts.config.QuotaPeriod;
import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.quota.QuotaState;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records decoded apart share the ids and instants they repeat (a gateway node holds a million key
 * and quota records naming ten thousand tenants), and their JSON is the same as before.
 */
class SharedValuesTest {

  private static byte[] keyJson(String keyHash, String keyId) {
    return ("{\"schemaVersion\":1,\"keyHash\":\""
            + keyHash
            + "\",\"keyId\":\""
            + keyId
            + "\",\"prefix\":\"tpk_abcd\",\"tenantId\":\"tenant-7\",\"appId\":\"app-1\","
            + "\"planIds\":[\"plan-7-0\"],\"status\":\"ENABLED\",\"expiresAt\":null}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] quotaJson(String keyId) {
    return ("{\"schemaVersion\":1,\"tenantId\":\"tenant-7\",\"keyId\":\""
            + keyId
            + "\",\"planId\":\"plan-7-0\",\"period\":\"MONTH\","
            + "\"periodStart\":\"2026-12-01T00:00:00Z\",\"periodEnd\":\"2027-01-01T00:00:00Z\","
            + "\"limit\":100,\"used\":3,\"exceeded\":false,\"updatedAt\":\"2026-12-07T10:00:00Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void two_decoded_keys_of_one_tenant_share_its_tenant_and_plan_id_instances() {
    KeyRecord first = KeyRecord.CODEC.decode(keyJson("hash-1", "key-1"));
    KeyRecord second = KeyRecord.CODEC.decode(keyJson("hash-2", "key-2"));

    assertThat(second.tenantId()).isSameAs(first.tenantId());
    assertThat(second.planIds().get(0)).isSameAs(first.planIds().get(0));
    // The key's own values stay its own.
    assertThat(second.keyId()).isEqualTo("key-2");
  }

  @Test
  void decoded_quota_states_share_ids_and_period_instants_with_each_other_and_the_plan() {
    QuotaState first = QuotaState.CODEC.decode(quotaJson("key-1"));
    QuotaState second = QuotaState.CODEC.decode(quotaJson("key-2"));
    PlanRecord plan =
        new PlanRecord(
            1,
            new String("tenant-7".toCharArray()),
            new String("plan-7-0".toCharArray()),
            "Basic",
            new ThrottleLimit(10, 20),
            new QuotaLimit(100, 0, QuotaPeriod.MONTH),
            List.of());

    assertThat(second.tenantId()).isSameAs(first.tenantId()).isSameAs(plan.tenantId());
    assertThat(second.planId()).isSameAs(first.planId()).isSameAs(plan.planId());
    assertThat(second.periodStart()).isSameAs(first.periodStart());
    assertThat(second.periodEnd()).isSameAs(first.periodEnd());
    assertThat(second.updatedAt()).isSameAs(first.updatedAt());
  }

  @Test
  void sharing_changes_neither_the_values_nor_the_json() {
    byte[] json = keyJson("hash-3", "key-3");
    KeyRecord decoded = KeyRecord.CODEC.decode(json);

    assertThat(new String(KeyRecord.CODEC.encode(decoded), StandardCharsets.UTF_8))
        .isEqualTo(new String(json, StandardCharsets.UTF_8));
    assertThat(decoded)
        .isEqualTo(
            new KeyRecord(
                1,
                "hash-3",
                "key-3",
                "tpk_abcd",
                "tenant-7",
                "app-1",
                List.of("plan-7-0"),
                KeyStatus.ENABLED,
                null));
    QuotaState state = QuotaState.CODEC.decode(quotaJson("key-3"));
    assertThat(QuotaState.CODEC.decode(QuotaState.CODEC.encode(state))).isEqualTo(state);
    assertThat(state.periodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void an_id_no_record_references_any_more_leaves_the_table() throws InterruptedException {
    String id = SharedValues.id(new String("tenant-gone".toCharArray()));
    WeakReference<String> held = new WeakReference<>(id);
    id = null;

    // Bounded: the table holds ids weakly, so a collection clears the only reference left.
    for (int attempt = 0; attempt < 50 && held.get() != null; attempt++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(held.get()).isNull();
    String again = new String("tenant-gone".toCharArray());
    assertThat(SharedValues.id(again)).isSameAs(again);
  }
}
