package dev.turnpike.gateway.authorizer.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.turnpike.testkit.MutableClock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every claim rule of a JWT authorizer, on claims alone, at a fixed time. */
class ClaimRulesTest {
  static final String ISSUER = "https://issuer.test/realms/acme";
  static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");

  final ClaimRules rules =
      new ClaimRules(ISSUER, List.of("api-one", "api-two"), new MutableClock(NOW));

  static JWTClaimsSet.Builder valid() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-7")
        .audience("api-one")
        .issueTime(Date.from(NOW.minusSeconds(10)))
        .expirationTime(Date.from(NOW.plusSeconds(300)));
  }

  @Test
  void accepts_a_token_passing_every_rule() {
    assertThat(rules.problem(valid().build())).isNull();
  }

  @Nested
  class Issuer {
    @Test
    void must_match_exactly() {
      assertThat(rules.problem(valid().issuer(ISSUER + "/").build())).contains("iss");
      assertThat(rules.problem(valid().issuer("https://ISSUER.test/realms/acme").build()))
          .contains("iss");
      assertThat(rules.problem(valid().issuer(null).build())).contains("iss");
    }
  }

  @Nested
  class Audience {
    @Test
    void passes_when_aud_names_one_configured_audience_among_others() {
      assertThat(rules.problem(valid().audience(List.of("other", "api-two")).build())).isNull();
    }

    @Test
    void refuses_aud_naming_none() {
      assertThat(rules.problem(valid().audience(List.of("other", "api-three")).build()))
          .contains("aud");
    }

    @Test
    void falls_back_to_client_id_only_without_aud() {
      assertThat(
              rules.problem(valid().audience((String) null).claim("client_id", "api-two").build()))
          .isNull();
      assertThat(rules.problem(valid().audience("other").claim("client_id", "api-two").build()))
          .contains("aud");
    }

    @Test
    void refuses_a_client_id_not_configured_or_neither_claim() {
      assertThat(rules.problem(valid().audience((String) null).claim("client_id", "x").build()))
          .contains("client_id");
      assertThat(rules.problem(valid().audience((String) null).build())).contains("neither");
    }
  }

  @Nested
  class Times {
    @Test
    void requires_exp() {
      assertThat(rules.problem(valid().expirationTime(null).build())).isEqualTo("no exp");
    }

    @Test
    void refuses_expired_past_the_skew_and_accepts_within_it() {
      assertThat(rules.problem(valid().expirationTime(Date.from(NOW.minusSeconds(61))).build()))
          .isEqualTo("expired");
      assertThat(rules.problem(valid().expirationTime(Date.from(NOW.minusSeconds(60))).build()))
          .isEqualTo("expired");
      assertThat(rules.problem(valid().expirationTime(Date.from(NOW.minusSeconds(30))).build()))
          .isNull();
    }

    @Test
    void refuses_nbf_in_the_future_past_the_skew() {
      assertThat(rules.problem(valid().notBeforeTime(Date.from(NOW.plusSeconds(61))).build()))
          .contains("nbf");
      assertThat(rules.problem(valid().notBeforeTime(Date.from(NOW.plusSeconds(59))).build()))
          .isNull();
    }

    @Test
    void refuses_iat_in_the_future_past_the_skew() {
      assertThat(rules.problem(valid().issueTime(Date.from(NOW.plusSeconds(61))).build()))
          .contains("iat");
      assertThat(rules.problem(valid().issueTime(Date.from(NOW.plusSeconds(59))).build())).isNull();
    }

    @Test
    void refuses_a_time_claim_that_is_not_a_number() {
      assertThat(rules.problem(valid().claim("exp", "tomorrow").build())).contains("malformed");
    }
  }
}
