package dev.turnpike.contracts.domain;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a custom domain may be, in one place for the control plane (which refuses it when a tenant
 * asks) and the gateway (which skips a record that breaks it, whatever the feed says). Each rule
 * answers the problem in words, or empty when there is none.
 *
 * <ul>
 *   <li>its name: never the gateway domain, a name under it, or a wildcard covering it (that would
 *       take the host- and path-style traffic of other tenants, with their keys and tokens), and
 *       never an IP address;
 *   <li>its key: RSA of 2048 to 4096 bits or EC on P-256 or P-384, as API Gateway imports. A larger
 *       RSA key costs every handshake many times as much CPU: a flood of them stalls the listener;
 *   <li>its PEM sizes: a chain of at most 10 certificates in 64 KiB, a truststore of at most 500
 *       anchors in 256 KiB (API Gateway's truststore quota is 1000 entries / 1 MiB; this gateway
 *       keeps every domain in every node's memory), at most 20 CRLs in 256 KiB;
 *   <li>its CRLs: each signed by a CA of the domain's own truststore, whose key usage (when it has
 *       one) allows signing CRLs. A CRL signed by anyone else could revoke nothing the domain
 *       trusts and is refused rather than kept as a false comfort.
 * </ul>
 */
public final class DomainRules {
  /**
   * The gateway domain when the operator sets none ({@code TURNPIKE_GATEWAY_DOMAIN}): the gateway
   * routes host-style addresses under it, and the control plane refuses custom domains there.
   */
  public static final String DEFAULT_GATEWAY_DOMAIN = "gateway.localhost";

  public static final int MAX_CHAIN_CERTIFICATES = 10;
  public static final int MAX_CHAIN_BYTES = 64 * 1024;
  public static final int MAX_TRUST_ANCHORS = 500;
  public static final int MAX_TRUSTSTORE_BYTES = 256 * 1024;
  public static final int MAX_CRLS = 20;
  public static final int MAX_CRL_BYTES = 256 * 1024;
  public static final int MIN_RSA_BITS = 2048;
  public static final int MAX_RSA_BITS = 4096;

  private static final String PEM_BEGIN = "-----BEGIN ";
  private static final List<String> CURVES = List.of("secp256r1", "secp384r1");

  /** The bit of the keyUsage extension that allows signing CRLs (RFC 5280 4.2.1.3). */
  private static final int CRL_SIGN = 6;

  private DomainRules() {}

  /**
   * @param domainName the custom domain's name, {@code *.} for a wildcard
   * @param gatewayDomain the domain the gateway's own API hosts live under, e.g. {@code
   *     gw.example.com}
   */
  public static Optional<String> reservedProblem(String domainName, String gatewayDomain) {
    String name = normalize(domainName);
    boolean wildcard = name.startsWith("*.");
    String base = wildcard ? name.substring(2) : name;
    String gateway = normalize(gatewayDomain);
    if (base.isEmpty()) {
      return Optional.of("The domain name is empty");
    }
    if (ipLiteral(base)) {
      return Optional.of("The domain name is an IP address: a custom domain is a DNS name");
    }
    if (gateway.isEmpty()) {
      return Optional.empty();
    }
    if (base.equals(gateway) || base.endsWith("." + gateway)) {
      return Optional.of("The domain name is the gateway's own domain " + gateway + " or under it");
    }
    // *.example.com covers gw.example.com itself, hence the path-style traffic sent to it.
    if (wildcard
        && gateway.endsWith("." + base)
        && gateway.indexOf('.') == gateway.length() - base.length() - 1) {
      return Optional.of("The wildcard covers the gateway's own domain " + gateway);
    }
    return Optional.empty();
  }

  /** The private key (or the certificate's public key) of a domain. */
  public static Optional<String> keyProblem(Key key) {
    if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        return Optional.of(
            "An RSA key must have "
                + MIN_RSA_BITS
                + " to "
                + MAX_RSA_BITS
                + " bits, this one has "
                + bits);
      }
      return Optional.empty();
    }
    if (key instanceof ECKey ec) {
      for (String curve : CURVES) {
        if (sameCurve(ec.getParams(), named(curve))) {
          return Optional.empty();
        }
      }
      return Optional.of("An EC key must be on P-256 or P-384");
    }
    return Optional.of(
        "A key must be RSA or EC, this one is " + (key == null ? "missing" : key.getAlgorithm()));
  }

  /** The certificate chain's PEM, before it is parsed. */
  public static Optional<String> chainProblem(String pem) {
    return pemProblem("The chain", pem, MAX_CHAIN_BYTES, MAX_CHAIN_CERTIFICATES, "certificates");
  }

  /** The mutual-TLS truststore's PEM, before it is parsed. */
  public static Optional<String> truststoreProblem(String pem) {
    return pemProblem(
        "The truststore", pem, MAX_TRUSTSTORE_BYTES, MAX_TRUST_ANCHORS, "certificates");
  }

  /** The mutual-TLS certificate revocation lists' PEM ({@code X509 CRL} blocks), before parsing. */
  public static Optional<String> crlProblem(String pem) {
    return pemProblem("The CRL bundle", pem, MAX_CRL_BYTES, MAX_CRLS, "CRLs");
  }

  /**
   * Parses PEM {@code X509 CRL} blocks after {@link #crlProblem} passed them.
   *
   * @throws IllegalArgumentException naming the problem when they do not parse or hold none
   */
  public static List<X509CRL> crls(String pem) {
    List<X509CRL> out = new ArrayList<>();
    try {
      for (CRL crl :
          CertificateFactory.getInstance("X.509")
              .generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509CRL) crl);
      }
    } catch (CertificateException | CRLException | RuntimeException e) {
      throw new IllegalArgumentException("The CRLs do not parse as X.509 CRLs", e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("The CRLs hold no CRL (-----BEGIN X509 CRL-----)");
    }
    return countProblem("The CRL bundle", out.size(), MAX_CRLS, "CRLs")
        .<List<X509CRL>>map(
            problem -> {
              throw new IllegalArgumentException(problem);
            })
        .orElse(out);
  }

  /**
   * The CA of {@code anchors} that signed {@code crl}: its subject is the CRL's issuer, its key
   * usage allows signing CRLs, and its key verifies the CRL's signature.
   */
  public static Optional<X509Certificate> crlIssuer(X509CRL crl, List<X509Certificate> anchors) {
    for (X509Certificate anchor : anchors) {
      if (!anchor.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
        continue;
      }
      boolean[] usage = anchor.getKeyUsage();
      if (usage != null && (usage.length <= CRL_SIGN || !usage[CRL_SIGN])) {
        continue;
      }
      try {
        crl.verify(anchor.getPublicKey());
        return Optional.of(anchor);
      } catch (GeneralSecurityException | RuntimeException e) {
        // Another anchor of the same name may hold the key that signed it.
      }
    }
    return Optional.empty();
  }

  /** Why {@code crl} cannot be used with {@code anchors}, or empty when a CA of them signed it. */
  public static Optional<String> crlIssuerProblem(X509CRL crl, List<X509Certificate> anchors) {
    return crlIssuer(crl, anchors).isPresent()
        ? Optional.empty()
        : Optional.of(
            "The CRL of "
                + crl.getIssuerX500Principal().getName()
                + " is not signed by a CA of the truststore (that may sign CRLs)");
  }

  /** The number of certificates a chain parsed into (a PKCS#7 block holds several). */
  public static Optional<String> chainCountProblem(int certificates) {
    return countProblem("The chain", certificates, MAX_CHAIN_CERTIFICATES, "certificates");
  }

  /** The number of anchors a truststore parsed into. */
  public static Optional<String> truststoreCountProblem(int anchors) {
    return countProblem("The truststore", anchors, MAX_TRUST_ANCHORS, "certificates");
  }

  private static Optional<String> pemProblem(
      String what, String pem, int maxBytes, int maxItems, String items) {
    if (pem == null) {
      return Optional.empty();
    }
    // Characters never outnumber bytes: the cheap count refuses the huge text before encoding it.
    if (pem.length() > maxBytes || pem.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return Optional.of(what + " is over " + maxBytes / 1024 + " KiB");
    }
    int blocks = 0;
    for (int at = pem.indexOf(PEM_BEGIN); at >= 0; at = pem.indexOf(PEM_BEGIN, at + 1)) {
      blocks++;
    }
    return countProblem(what, blocks, maxItems, items);
  }

  private static Optional<String> countProblem(String what, int count, int max, String items) {
    return count > max
        ? Optional.of(what + " holds " + count + " " + items + ", at most " + max + " are allowed")
        : Optional.empty();
  }

  private static String normalize(String name) {
    String out = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    while (out.endsWith(".")) {
      out = out.substring(0, out.length() - 1);
    }
    while (out.startsWith(".")) {
      out = out.substring(1);
    }
    return out;
  }

  /**
   * IPv6 (any colon or bracket) and IPv4 in any form a URL parser accepts: such a parser reads a
   * name whose last label is a number (decimal, octal or {@code 0x} hex) as an IPv4 address, and no
   * top-level domain is a number.
   */
  private static boolean ipLiteral(String name) {
    if (name.indexOf(':') >= 0 || name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
      return true;
    }
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (last.startsWith("0x")) {
      last = last.substring(2);
      return last.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
    return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static ECParameterSpec named(String curve) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JDK does not know the curve " + curve, e);
    }
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a != null
        && a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }
}
