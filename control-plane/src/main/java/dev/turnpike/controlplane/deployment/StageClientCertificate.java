package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * The client certificate a stage's http integrations present to their backends (API Gateway's stage
 * {@code clientCertificateId}). The API shows the certificate and what it says; the private key is
 * held only sealed, and is never part of any answer or audit record.
 *
 * @param sealedPrivateKey the PKCS#8 key sealed under the operator's key, bound to {@link
 *     #owner(UUID)}
 */
public record StageClientCertificate(
    UUID stageId,
    String certificatePem,
    @JsonIgnore String sealedPrivateKey,
    String subject,
    String issuer,
    Instant notAfter,
    Instant updatedAt) {

  /** What a stage's key is sealed for, with its tenant: {@code stage:<id>}. */
  public static String owner(UUID stageId) {
    return "stage:" + stageId;
  }
}
