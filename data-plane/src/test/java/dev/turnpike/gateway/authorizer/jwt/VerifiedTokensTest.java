package dev.turnpike.gateway.authorizer.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turnpike.gateway.authorizer.Authorization;
import dev.turnpike.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T07:00:00Z"));
  final JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("user-7").build();
  final Authorization authorization = new Authorization("user-7", Map.of(), null, null);

  @Test
  void remembers_a_token_by_its_exact_text_only() {
    VerifiedTokens tokens = new VerifiedTokens(clock);
    tokens.remember("aaa.bbb.ccc", claims, authorization);

    assertThat(tokens.get("aaa.bbb.ccc").authorization()).isSameAs(authorization);
    assertThat(tokens.get("aaa.bbb.ccd")).isNull();
    assertThat(tokens.get("aaa.bbb.cc")).isNull();
  }

  @Test
  void forgets_a_verification_older_than_its_max_age() {
    VerifiedTokens tokens = new VerifiedTokens(clock);
    tokens.remember("aaa.bbb.ccc", claims, authorization);

    clock.advance(Duration.ofMillis(VerifiedTokens.MAX_AGE_MILLIS - 1));
    assertThat(tokens.get("aaa.bbb.ccc")).isNotNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(tokens.get("aaa.bbb.ccc")).isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void never_holds_more_than_its_bound() {
    VerifiedTokens tokens = new VerifiedTokens(clock, 8);
    for (int i = 0; i < 100; i++) {
      tokens.remember("token-" + i, claims, authorization);
      assertThat(tokens.size()).isLessThanOrEqualTo(8);
    }
    assertThat(tokens.get("token-99")).isNotNull();
  }
}
