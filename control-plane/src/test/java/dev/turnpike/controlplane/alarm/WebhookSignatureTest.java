package dev.turnpike.controlplane.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.contracts.domain.SealedSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The receiver's side of the signature, and how secrets are kept. */
class WebhookSignatureTest {
  static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
  static final byte[] BODY = "{\"state\":\"firing\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void a_receiver_verifies_a_call_signed_with_its_secret() {
    String secret = SigningSecrets.issue();
    String header = WebhookSignature.header(secret, AT, BODY);

    assertThat(header).matches("t=" + AT.getEpochSecond() + ",v1=[0-9a-f]{64}");
    assertThat(
            WebhookSignature.verify(
                secret, header, BODY, AT.plusSeconds(30), WebhookSignature.DEFAULT_TOLERANCE))
        .isTrue();
  }

  @Test
  void a_tampered_body_another_secret_a_moved_time_or_an_old_call_fail() {
    String secret = SigningSecrets.issue();
    String header = WebhookSignature.header(secret, AT, BODY);
    Duration tolerance = WebhookSignature.DEFAULT_TOLERANCE;
    byte[] tampered = "{\"state\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(WebhookSignature.verify(secret, header, tampered, AT, tolerance)).isFalse();
    assertThat(WebhookSignature.verify(SigningSecrets.issue(), header, BODY, AT, tolerance))
        .isFalse();
    String moved = header.replace("t=" + AT.getEpochSecond(), "t=" + (AT.getEpochSecond() + 1));
    assertThat(WebhookSignature.verify(secret, moved, BODY, AT, tolerance)).isFalse();
    assertThat(
            WebhookSignature.verify(
                secret, header, BODY, AT.plus(Duration.ofMinutes(6)), tolerance))
        .isFalse();
    assertThat(WebhookSignature.verify(secret, "t=1,v1=zz", BODY, AT, tolerance)).isFalse();
    assertThat(WebhookSignature.verify(secret, null, BODY, AT, tolerance)).isFalse();
  }

  @Test
  void a_secret_sealed_for_one_alarm_opens_for_it_only_and_an_unsealed_one_is_kept_as_issued() {
    SigningSecrets sealing =
        new SigningSecrets(SealedSecrets.fromBase64Key(SealedSecrets.newBase64Key()));
    String secret = SigningSecrets.issue();
    UUID alarm = UUID.randomUUID();

    String stored = sealing.stored(secret, alarm);

    assertThat(stored).startsWith("v1:").doesNotContain(secret.substring(6));
    assertThat(sealing.open(stored, alarm)).isEqualTo(secret);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> sealing.open(stored, UUID.randomUUID())))
        .isInstanceOf(IllegalArgumentException.class);
    SigningSecrets plain = new SigningSecrets(null);
    assertThat(plain.stored(secret, alarm)).isEqualTo(secret);
    assertThat(plain.open(secret, alarm)).isEqualTo(secret);
  }
}
