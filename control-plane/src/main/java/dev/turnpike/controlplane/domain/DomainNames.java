package dev.turnpike.controlplane.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a custom domain name may be: an RFC 1123 host name of at least two labels, lower-cased, with
 * one optional leading wildcard label ({@code *.example.com} serves any one label under {@code
 * example.com}, as a wildcard certificate does). Also how a certificate's DNS name covers a domain,
 * and which name a tenant proves control of.
 */
public final class DomainNames {
  public static final String RULE =
      "must be a host name such as api.example.com (letters, digits and '-', labels of 1 to 63"
          + " characters, at most 253 in all, two labels at least, the last not numeric), or"
          + " one leading wildcard label such as *.example.com";

  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  private static final Pattern TOP_LABEL =
      Pattern.compile("^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$|^xn--[a-z0-9-]{1,59}$");

  /** The TXT record a tenant proves control with, under the name it proves. */
  public static final String CHALLENGE_LABEL = "_turnpike-challenge";

  private DomainNames() {}

  /** The name as stored and published: lower case, without a trailing dot. */
  public static String normalize(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Whether the normalized {@code name} is one a tenant may register. */
  public static boolean isRegistrable(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    String host = name.startsWith("*.") ? name.substring(2) : name;
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (int i = 0; i < labels.length - 1; i++) {
      if (!LABEL.matcher(labels[i]).matches()) {
        return false;
      }
    }
    return TOP_LABEL.matcher(labels[labels.length - 1]).matches();
  }

  /**
   * The name whose control proves control of {@code domain}: the domain itself, or for {@code
   * *.example.com} the zone {@code example.com}.
   */
  public static String provenName(String domain) {
    return domain.startsWith("*.") ? domain.substring(2) : domain;
  }

  /** Where the verification token is looked up: {@code _turnpike-challenge.<proven name>}. */
  public static String challengeRecord(String domain) {
    return CHALLENGE_LABEL + "." + provenName(domain);
  }

  /**
   * Whether a certificate's DNS name serves {@code domain}, as a TLS client matches it (RFC 6125):
   * the same name, or a wildcard {@code *.zone} for a name exactly one label under {@code zone}. A
   * wildcard domain needs the same wildcard name.
   */
  public static boolean covers(String certificateName, String domain) {
    String cert = normalize(certificateName);
    if (cert.equals(domain)) {
      return true;
    }
    if (!cert.startsWith("*.") || domain.startsWith("*.")) {
      return false;
    }
    int dot = domain.indexOf('.');
    return dot > 0 && domain.substring(dot + 1).equals(cert.substring(2));
  }
}
