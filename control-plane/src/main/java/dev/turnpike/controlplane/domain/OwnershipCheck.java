package dev.turnpike.controlplane.domain;

import java.util.List;
import java.util.UUID;

/**
 * How a tenant proves it controls a domain name: what it is told to publish, and the look that
 * finds it. The operator picks one ({@code TURNPIKE_CP_DOMAIN_VERIFICATION}): a DNS TXT record, or
 * an HTTP token served at the name. {@link #look} blocks: it runs off the event loop and outside
 * any database transaction.
 */
public interface OwnershipCheck {
  /** What a look found: the values where the token should be, or why it could not look. */
  record Evidence(List<String> values, String failure) {
    public static Evidence found(List<String> values) {
      return new Evidence(List.copyOf(values), null);
    }

    public static Evidence failed(String why) {
      return new Evidence(List.of(), why);
    }
  }

  /** What the tenant publishes to prove control of {@code domain} with {@code token}. */
  Domains.Verification instructions(String domain, String token);

  /** Why this way cannot prove {@code domain} at all (null when it can). */
  String refusal(String domain);

  Evidence look(UUID tenantId, String domain, String token);

  /** The DNS TXT record {@code _turnpike-challenge.<name>}; a wildcard is proved by its zone. */
  static OwnershipCheck dns(TxtLookup lookup) {
    return new OwnershipCheck() {
      @Override
      public Domains.Verification instructions(String domain, String token) {
        return new Domains.Verification(
            "dns-txt", DomainNames.challengeRecord(domain), token, null);
      }

      @Override
      public String refusal(String domain) {
        return null;
      }

      @Override
      public Evidence look(UUID tenantId, String domain, String token) {
        TxtLookup.Answer answer = lookup.txt(DomainNames.challengeRecord(domain));
        return answer.failure() != null
            ? Evidence.failed(answer.failure())
            : Evidence.found(answer.values());
      }
    };
  }
}
