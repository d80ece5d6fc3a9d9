package dev.turnpike.gateway.integration;

/**
 * Where a call was served: the deployed API, stage and route, as {@code $context.apiId}, {@code
 * stage}, {@code resourceId}, {@code resourcePath} and {@code isCanaryRequest} read them.
 *
 * @param resourceId the route's id in the deployment
 * @param resourcePath the route's resource as deployed, e.g. {@code /pets/{petId}}
 * @param canary whether the stage's canary deployment serves the call
 */
public record CallSite(
    String apiId, String stage, String resourceId, String resourcePath, boolean canary) {

  /** A call its stage's base deployment serves. */
  public CallSite(String apiId, String stage, String resourceId, String resourcePath) {
    this(apiId, stage, resourceId, resourcePath, false);
  }
}
