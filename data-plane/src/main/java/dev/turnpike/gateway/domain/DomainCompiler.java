package dev.turnpike.gateway.domain;

import dev.turnpike.contracts.domain.DomainRecord;
import dev.turnpike.contracts.domain.DomainRules;
import dev.turnpike.contracts.domain.SealedSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a domain record from the feed into a {@link ServedDomain}: opens the sealed key with the
 * operator's key (bound to the domain name, so a key copied onto another record does not open),
 * parses the chain, the truststore and its revocation lists, and checks that the key is the
 * certificate's. Each problem is an {@link IllegalArgumentException} naming it, for the one log
 * line that skips the domain.
 */
public final class DomainCompiler {
  private static final byte[] PROBE = "turnpike key check".getBytes(StandardCharsets.US_ASCII);

  private final SealedSecrets secrets;
  private final AtomicLong sequence = new AtomicLong();

  public DomainCompiler(SealedSecrets secrets) {
    this.secrets = secrets;
  }

  /**
   * @throws IllegalArgumentException if a PEM is over its size, the key does not open, is of a kind
   *     or size {@link DomainRules#keyProblem} refuses or does not belong to the certificate, a PEM
   *     does not parse, or a CRL is not signed by a CA of the truststore
   */
  public ServedDomain compile(DomainRecord record) {
    // The sizes first, before any of it is parsed or opened.
    require(DomainRules.chainProblem(record.certificateChainPem()));
    if (record.mutualTls()) {
      require(DomainRules.truststoreProblem(record.truststorePem()));
    }
    if (record.revocationLists()) {
      require(DomainRules.crlProblem(record.crlPem()));
    }
    String keyPem = secrets.open(record.sealedPrivateKey(), record.domainName());
    PrivateKey key = Pem.privateKey(keyPem);
    require(DomainRules.keyProblem(key));
    List<X509Certificate> chain = Pem.certificates(record.certificateChainPem(), "The chain");
    require(DomainRules.chainCountProblem(chain.size()));
    require(DomainRules.keyProblem(chain.get(0).getPublicKey()));
    requireKeyOf(chain.get(0), key);
    X509TrustManager trust = null;
    if (record.mutualTls()) {
      List<X509Certificate> anchors = Pem.certificates(record.truststorePem(), "The truststore");
      require(DomainRules.truststoreCountProblem(anchors.size()));
      trust = trustManager(anchors);
      if (record.revocationLists()) {
        trust = RevocationCheckingTrust.of(trust, DomainRules.crls(record.crlPem()), anchors);
      }
    }
    return new ServedDomain(
        record.domainName(),
        record.tenantId(),
        record.tenantSlug(),
        chain.toArray(X509Certificate[]::new),
        key,
        record.securityPolicy(),
        trust,
        ServedDomain.byBasePath(record.mappings()),
        sequence.incrementAndGet());
  }

  private static void require(Optional<String> problem) {
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
  }

  /** Signs and verifies a probe: a key pair that does not match fails every handshake. */
  private static void requireKeyOf(X509Certificate leaf, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(PROBE);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("The private key does not match the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "The private key does not match the certificate: " + e.getMessage(), e);
    }
  }

  /** PKIX validation (chain, signatures, validity) against these anchors only. */
  private static X509TrustManager trustManager(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("The truststore cannot be used: " + e.getMessage(), e);
    }
    throw new IllegalStateException("The JDK offers no X.509 trust manager");
  }
}
