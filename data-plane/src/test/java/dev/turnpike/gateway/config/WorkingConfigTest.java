package dev.turnpike.gateway.config;

import static dev.turnpike.gateway.config.ConfigFixtures.deployment;
import static dev.turnpike.gateway.config.ConfigFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.contracts.config.DeploymentSnapshot;
import dev.turnpike.contracts.config.KeyRecord;
import dev.turnpike.contracts.config.KeyStatus;
import dev.turnpike.contracts.json.ContractDecodingException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkingConfigTest {
  private final ConfigTopics topics = ConfigTopics.DEFAULT;
  private final WorkingConfig working = new WorkingConfig(topics, 10);
  private final KeyRecord alice = key("tpk_alice_secret", "key-a", KeyStatus.ENABLED);
  private long offset;

  private boolean apply(String topic, String key, byte[] value) {
    return working.apply(new ConsumerRecord<>(topic, 0, offset++, key, value));
  }

  @Nested
  class Changes {
    @Test
    void an_identical_value_published_again_is_not_a_change() {
      assertThat(apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice))).isTrue();
      assertThat(apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice))).isFalse();
    }

    @Test
    void a_tombstone_for_an_unknown_key_is_not_a_change() {
      assertThat(apply(topics.keys(), alice.keyHash(), null)).isFalse();
    }

    @Test
    void a_value_that_does_not_decode_leaves_the_previous_one() {
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));

      assertThatThrownBy(
              () -> apply(topics.keys(), alice.keyHash(), "{".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(ContractDecodingException.class);
      assertThat(working.freeze().keysByHash()).containsEntry(alice.keyHash(), alice);
    }

    @Test
    void a_record_without_a_key_does_not_decode() {
      assertThatThrownBy(() -> apply(topics.keys(), null, KeyRecord.CODEC.encode(alice)))
          .isInstanceOf(ContractDecodingException.class);
    }
  }

  @Nested
  class Freezing {
    @Test
    void each_state_gets_the_next_version_after_the_base() {
      assertThat(working.freeze().version()).isEqualTo(11);
      assertThat(working.freeze().version()).isEqualTo(12);
    }

    @Test
    void a_topic_that_did_not_change_shares_its_map_with_the_previous_state() {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));
      ConfigState first = working.freeze();

      apply(topics.deployments(), "t-1/api-1/prod", DeploymentSnapshot.CODEC.encode(prod));
      ConfigState second = working.freeze();

      assertThat(second.keysByHash()).isSameAs(first.keysByHash());
      assertThat(second.deployments()).containsEntry("t-1/api-1/prod", prod);
      assertThat(first.deployments()).isEmpty();
    }

    @Test
    void each_state_names_the_records_it_changed_and_no_other() {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));
      apply(topics.deployments(), "t-1/api-1/prod", DeploymentSnapshot.CODEC.encode(prod));
      working.freeze();

      assertThat(working.lastChanges().keys()).containsExactly(alice.keyHash());
      assertThat(working.lastChanges().deployments()).containsExactly("t-1/api-1/prod");

      apply(topics.keys(), alice.keyHash(), null);
      apply(topics.deployments(), "t-1/api-1/prod", DeploymentSnapshot.CODEC.encode(prod));
      ConfigState next = working.freeze();

      assertThat(working.lastChanges().keys()).containsExactly(alice.keyHash());
      assertThat(working.lastChanges().deployments()).isEmpty();
      assertThat(working.lastChanges().all()).isFalse();
      assertThat(next.keysByHash()).isEmpty();
    }

    @Test
    void a_state_frozen_whole_holds_the_same_records_and_says_everything_changed() {
      DeploymentSnapshot prod = deployment("t-1", "api-1", "prod", "dep-1");
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));
      apply(topics.deployments(), "t-1/api-1/prod", DeploymentSnapshot.CODEC.encode(prod));

      ConfigState whole = working.freezeWhole();

      assertThat(whole.version()).isEqualTo(11);
      assertThat(whole.keysByHash()).containsOnlyKeys(alice.keyHash());
      assertThat(whole.deployments()).containsEntry("t-1/api-1/prod", prod);
      assertThat(working.lastChanges().all()).isTrue();

      apply(topics.keys(), alice.keyHash(), null);
      ConfigState next = working.freeze();

      assertThat(working.lastChanges().all()).isFalse();
      assertThat(working.lastChanges().keys()).containsExactly(alice.keyHash());
      assertThat(working.lastChanges().deployments()).isEmpty();
      assertThat(next.keysByHash()).isEmpty();
    }
  }

  @Nested
  class Sharing {
    private String keyOf(ConfigState state, String hash) {
      return state.keysByHash().keySet().stream().filter(hash::equals).findFirst().orElseThrow();
    }

    @Test
    void a_key_record_and_its_map_key_are_one_string() {
      // As the consumer hands it over: a key string of its own, equal to the record's hash.
      String topicKey = new String(alice.keyHash().toCharArray());
      apply(topics.keys(), topicKey, KeyRecord.CODEC.encode(alice));
      ConfigState state = working.freeze();

      KeyRecord held = state.keysByHash().get(alice.keyHash());
      assertThat(keyOf(state, alice.keyHash())).isSameAs(held.keyHash());
      assertThat(working.lastChanges().keys().iterator().next()).isSameAs(held.keyHash());
    }

    @Test
    void a_changed_key_record_shares_its_new_hash_with_the_map_key() {
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));
      working.freeze();
      KeyRecord disabled = key("tpk_alice_secret", "key-a", KeyStatus.DISABLED);

      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(disabled));
      ConfigState state = working.freeze();

      KeyRecord held = state.keysByHash().get(alice.keyHash());
      assertThat(held).isEqualTo(disabled);
      assertThat(keyOf(state, alice.keyHash())).isSameAs(held.keyHash());
    }

    @Test
    void two_decoded_keys_of_one_tenant_share_its_tenant_id() {
      KeyRecord bob = key("tpk_bob_secret", "key-b", KeyStatus.ENABLED);
      apply(topics.keys(), alice.keyHash(), KeyRecord.CODEC.encode(alice));
      apply(topics.keys(), bob.keyHash(), KeyRecord.CODEC.encode(bob));
      ConfigState state = working.freeze();

      assertThat(state.keysByHash().get(bob.keyHash()).tenantId())
          .isEqualTo(alice.tenantId())
          .isSameAs(state.keysByHash().get(alice.keyHash()).tenantId());
    }
  }
}
