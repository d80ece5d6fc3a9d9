package dev.turnpike.contracts.domain;

import java.util.Objects;

/**
 * One base path of a custom domain and the API stage it serves, as API Gateway's {@code
 * BasePathMapping} / {@code ApiMapping}: {@code https://api.example.com/{basePath}/{path}} reaches
 * {@code {path}} of the stage. The empty base path maps the whole domain.
 *
 * @param basePath one path segment without slashes, or {@code ""} for the domain's root
 * @param apiId the API's id (stable across renames)
 * @param apiSlug the API's slug, which the gateway's runtime is keyed by
 * @param stage the stage name
 */
public record BasePathMapping(String basePath, String apiId, String apiSlug, String stage) {
  public BasePathMapping {
    basePath = basePath == null ? "" : basePath;
    if (basePath.indexOf('/') >= 0) {
      throw new IllegalArgumentException("A base path is one segment, got '" + basePath + "'");
    }
    Objects.requireNonNull(apiSlug, "apiSlug");
    Objects.requireNonNull(stage, "stage");
  }
}
