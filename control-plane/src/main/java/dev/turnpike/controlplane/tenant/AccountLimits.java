package dev.turnpike.controlplane.tenant;

/**
 * The platform's caps on what one person may create, from the control plane's settings. Owners
 * choose their own caps for their developers within the maximums; the defaults apply until they do.
 *
 * @param maxTenantsPerUser how many tenants one user may own ({@value #MAX_TENANTS_PER_USER})
 * @param defaultKeysPerApp a tenant's cap on an app's keys until its owner sets one ({@value
 *     #DEFAULT_KEYS_PER_APP})
 * @param maxKeysPerApp the highest cap on an app's keys an owner may set ({@value
 *     #MAX_KEYS_PER_APP})
 * @param defaultAppsPerDeveloper a tenant's cap on one person's apps until its owner sets one
 *     ({@value #DEFAULT_APPS_PER_DEVELOPER})
 * @param maxAppsPerDeveloper the highest cap on one person's apps an owner may set ({@value
 *     #MAX_APPS_PER_DEVELOPER})
 */
public record AccountLimits(
    int maxTenantsPerUser,
    int defaultKeysPerApp,
    int maxKeysPerApp,
    int defaultAppsPerDeveloper,
    int maxAppsPerDeveloper) {
  public static final String MAX_TENANTS_PER_USER = "TURNPIKE_CP_MAX_TENANTS_PER_USER";
  public static final String DEFAULT_KEYS_PER_APP = "TURNPIKE_CP_DEFAULT_KEYS_PER_APP";
  public static final String MAX_KEYS_PER_APP = "TURNPIKE_CP_MAX_KEYS_PER_APP";
  public static final String DEFAULT_APPS_PER_DEVELOPER = "TURNPIKE_CP_DEFAULT_APPS_PER_DEVELOPER";
  public static final String MAX_APPS_PER_DEVELOPER = "TURNPIKE_CP_MAX_APPS_PER_DEVELOPER";

  public AccountLimits {
    if (defaultKeysPerApp > maxKeysPerApp || defaultAppsPerDeveloper > maxAppsPerDeveloper) {
      throw new IllegalArgumentException("a default cap must not exceed its maximum");
    }
  }
}
