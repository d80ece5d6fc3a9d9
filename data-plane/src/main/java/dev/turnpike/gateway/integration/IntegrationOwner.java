package dev.turnpike.gateway.integration;

/**
 * Whose integration a backend is, for the egress policy (the tenant id its grants are keyed by) and
 * for the logs an owner reads when the policy refuses a target.
 */
public record IntegrationOwner(
    String tenantId, String tenantSlug, String apiSlug, String stage, String routeKey) {

  @Override
  public String toString() {
    return "tenant "
        + tenantSlug
        + " ("
        + tenantId
        + "), api "
        + apiSlug
        + ", stage "
        + stage
        + ", route "
        + routeKey;
  }
}
