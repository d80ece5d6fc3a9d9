package dev.turnpike.controlplane.deployment;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stages and deployments, within one tenant-scoped transaction. */
public interface DeploymentStore {
  /**
   * @throws dev.turnpike.controlplane.problem.ApiFailure conflict when the API has the name
   */
  void insertStage(Stage stage);

  Optional<Stage> findStage(UUID apiId, UUID stageId);

  /** Reads the stage and locks it until the transaction ends. */
  Optional<Stage> lockStage(UUID apiId, UUID stageId);

  List<Stage> listStages(UUID apiId);

  void updateStage(Stage stage);

  void deleteStage(UUID stageId);

  /** The stage's client certificate for its backends, if it has one. */
  Optional<StageClientCertificate> findClientCertificate(UUID stageId);

  /** Sets the stage's client certificate, replacing any it had. */
  void putClientCertificate(StageClientCertificate certificate);

  void deleteClientCertificate(UUID stageId);

  void insertDeployment(Deployment deployment, String canonicalDefinition);

  Optional<Deployment> findDeployment(UUID apiId, UUID deploymentId);

  Optional<FrozenApi> definition(UUID deploymentId);

  List<Deployment> listDeployments(UUID apiId);

  /**
   * The delivery of what the stage serves now (its deployment with its current settings), null when
   * it serves nothing.
   */
  Delivery stageDelivery(Stage stage);
}
