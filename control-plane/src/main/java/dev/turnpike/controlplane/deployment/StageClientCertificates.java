package dev.turnpike.controlplane.deployment;

import dev.turnpike.contracts.config.BackendTls;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.controlplane.api.PemCertificates;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of a stage's client certificate: upload (checked: it parses, the key is the
 * certificate's, it is valid now), read (without the key), remove. A stage that serves a deployment
 * is republished, so its backends see the new certificate on the next connection.
 */
public final class StageClientCertificates {
  /**
   * @param certificatePem the certificate, then any intermediates, PEM
   * @param privateKeyPem its unencrypted PKCS#8 key, PEM
   */
  public record ClientCertificateInput(String certificatePem, String privateKeyPem) {}

  private final TxStore<DeploymentStore> deploymentStore;
  private final StagePublisher publisher;
  private final SealedSecrets secrets;

  /**
   * @param secrets seals the keys; null when the operator set no {@code TURNPIKE_SECRET_KEY}, and
   *     then uploads are refused
   */
  public StageClientCertificates(
      TxStore<DeploymentStore> deploymentStore, StagePublisher publisher, SealedSecrets secrets) {
    this.deploymentStore = deploymentStore;
    this.publisher = publisher;
    this.secrets = secrets;
  }

  public StageClientCertificate put(
      TenantTx tx, UUID apiId, UUID stageId, ClientCertificateInput in) {
    DeploymentStore store = deploymentStore.in(tx);
    store.findStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    if (secrets == null) {
      // Before the input is judged: no input could be stored.
      throw ApiFailure.conflict(
          "This platform stores no private keys: its operator has not set TURNPIKE_SECRET_KEY");
    }
    Checked checked = check(in, tx.now());
    Stage stage = store.lockStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    StageClientCertificate before = store.findClientCertificate(stageId).orElse(null);
    X509Certificate leaf = checked.chain().getFirst();
    StageClientCertificate after =
        new StageClientCertificate(
            stageId,
            in.certificatePem(),
            secrets.seal(
                in.privateKeyPem(),
                BackendTls.ClientCertificate.bindingOf(
                    tx.tenantId().toString(), StageClientCertificate.owner(stageId))),
            leaf.getSubjectX500Principal().getName(),
            leaf.getIssuerX500Principal().getName(),
            leaf.getNotAfter().toInstant(),
            tx.now());
    store.putClientCertificate(after);
    if (stage.deploymentId() != null) {
      publisher.publish(tx, stage);
    }
    tx.audit()
        .record(
            before == null ? "stage.client-certificate.create" : "stage.client-certificate.update",
            "stage",
            stageId,
            before,
            after);
    return after;
  }

  public StageClientCertificate get(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    store.findStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    return store
        .findClientCertificate(stageId)
        .orElseThrow(() -> ApiFailure.notFound("Client certificate of stage " + stageId));
  }

  public void delete(TenantTx tx, UUID apiId, UUID stageId) {
    DeploymentStore store = deploymentStore.in(tx);
    Stage stage = store.lockStage(apiId, stageId).orElseThrow(() -> Stages.notFound(stageId));
    StageClientCertificate before =
        store
            .findClientCertificate(stageId)
            .orElseThrow(() -> ApiFailure.notFound("Client certificate of stage " + stageId));
    store.deleteClientCertificate(stageId);
    if (stage.deploymentId() != null) {
      publisher.publish(tx, stage);
    }
    tx.audit().record("stage.client-certificate.delete", "stage", stageId, before, null);
  }

  private record Checked(List<X509Certificate> chain, PrivateKey key) {}

  /** Every problem of the input at once, as 400 with a pointer each. */
  static Checked check(ClientCertificateInput in, Instant now) {
    Validation v = new Validation();
    List<X509Certificate> chain = null;
    PrivateKey key = null;
    if (v.required("/certificatePem", in.certificatePem())) {
      if (in.certificatePem().length() > PemCertificates.MAX_PEM_CHARS) {
        v.add(
            "/certificatePem", "must be at most " + PemCertificates.MAX_PEM_CHARS + " characters");
      } else {
        try {
          chain = PemCertificates.certificates(in.certificatePem());
        } catch (IllegalArgumentException e) {
          v.add("/certificatePem", e.getMessage());
        }
      }
    }
    if (v.required("/privateKeyPem", in.privateKeyPem())) {
      if (in.privateKeyPem().length() > PemCertificates.MAX_PEM_CHARS) {
        v.add("/privateKeyPem", "must be at most " + PemCertificates.MAX_PEM_CHARS + " characters");
      } else {
        try {
          key = PemCertificates.privateKey(in.privateKeyPem());
        } catch (IllegalArgumentException e) {
          v.add("/privateKeyPem", e.getMessage());
        }
      }
    }
    if (chain != null) {
      X509Certificate leaf = chain.getFirst();
      if (leaf.getNotAfter().toInstant().isBefore(now)) {
        v.add("/certificatePem", "expired on " + leaf.getNotAfter().toInstant());
      } else if (leaf.getNotBefore().toInstant().isAfter(now)) {
        v.add("/certificatePem", "is not valid before " + leaf.getNotBefore().toInstant());
      }
      if (key != null && !PemCertificates.matches(key, leaf.getPublicKey())) {
        v.add(
            "/privateKeyPem",
            "is not the key of the certificate (the first one in certificatePem)");
      }
    }
    v.throwIfInvalid();
    return new Checked(chain, key);
  }
}
