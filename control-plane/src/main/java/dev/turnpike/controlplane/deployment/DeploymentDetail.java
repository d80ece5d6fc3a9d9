package dev.turnpike.controlplane.deployment;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A deployment with its frozen definition and the stages that serve it now. */
public record DeploymentDetail(
    UUID id,
    UUID apiId,
    String description,
    String hash,
    UUID createdBy,
    Instant createdAt,
    @JsonUnwrapped Delivery delivery,
    List<String> stages,
    FrozenApi definition) {}
