package dev.turnpike.gateway.integration;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.domain.SealedSecrets;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.ByteArrayInputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles an integration's {@link BackendTls} into the Vert.x TLS options its backend requests
 * carry, once per deployment. Equal configs get the same options instance: Vert.x pools
 * connections, and caches the TLS context, per distinct options, so integrations sharing a CA and
 * certificate share connections and a context, and a connection made under one trust setting is
 * never reused under another.
 */
public final class BackendTlsOptions {
  /** Vert.x's name for RFC 2818 host name verification. */
  private static final String VERIFY_HOST = "HTTPS";

  private final SealedSecrets secrets;
  // Weakly held: the deployments' backends hold the options they use, and options no deployment
  // uses any more (a rotated certificate, a removed CA) are let go with them.
  private final ConcurrentHashMap<Material, WeakReference<ClientSSLOptions>> compiled =
      new ConcurrentHashMap<>();

  /**
   * @param secrets opens client certificates' private keys; null when the operator set no secret
   *     key, and then an integration with a client certificate is not served
   */
  public BackendTlsOptions(SealedSecrets secrets) {
    this.secrets = secrets;
  }

  /** What one compiled config is: the key in clear, so two sealings of one key are one config. */
  private record Material(
      String trustedCaPem,
      boolean insecureSkipVerification,
      String certificatePem,
      String privateKeyPem) {}

  /**
   * The options for {@code tls}, or null for the defaults (the client's own: public CAs, the host
   * verified).
   *
   * @throws IllegalArgumentException with a message for the owner's log, when the CA bundle does
   *     not parse or the client key does not open
   */
  public ClientSSLOptions compile(String tenantId, BackendTls tls) {
    if (tls == null || tls.isDefault()) {
      return null;
    }
    String caPem = blankToNull(tls.trustedCaPem());
    if (caPem != null) {
      requireCertificates(caPem, "trusted CA bundle");
    }
    String certificatePem = null;
    String keyPem = null;
    BackendTls.ClientCertificate client = tls.clientCertificate();
    if (client != null) {
      if (secrets == null) {
        throw new IllegalArgumentException(
            "the integration presents a client certificate, and this node has no"
                + " TURNPIKE_SECRET_KEY to open its key");
      }
      certificatePem = client.certificatePem();
      requireCertificates(certificatePem, "client certificate");
      try {
        keyPem = secrets.open(client.sealedPrivateKey(), client.binding(tenantId));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the client certificate's key does not open under this node's TURNPIKE_SECRET_KEY", e);
      }
    }
    Material material = new Material(caPem, tls.insecureSkipVerification(), certificatePem, keyPem);
    compiled.values().removeIf(held -> held.get() == null);
    ClientSSLOptions[] result = new ClientSSLOptions[1];
    compiled.compute(
        material,
        (key, held) -> {
          ClientSSLOptions existing = held == null ? null : held.get();
          if (existing != null) {
            result[0] = existing;
            return held;
          }
          result[0] = options(key);
          return new WeakReference<>(result[0]);
        });
    return result[0];
  }

  private static ClientSSLOptions options(Material material) {
    ClientSSLOptions options = new ClientSSLOptions();
    if (material.insecureSkipVerification()) {
      options.setTrustAll(true).setHostnameVerificationAlgorithm("");
    } else {
      options.setHostnameVerificationAlgorithm(VERIFY_HOST);
      if (material.trustedCaPem() != null) {
        options.setTrustOptions(
            new PemTrustOptions().addCertValue(Buffer.buffer(material.trustedCaPem())));
      }
    }
    if (material.certificatePem() != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(material.certificatePem()))
              .setKeyValue(Buffer.buffer(material.privateKeyPem())));
    }
    return options;
  }

  private static void requireCertificates(String pem, String what) {
    try {
      if (CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .isEmpty()) {
        throw new IllegalArgumentException("the " + what + " holds no certificate");
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the " + what + " is not PEM certificates", e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
