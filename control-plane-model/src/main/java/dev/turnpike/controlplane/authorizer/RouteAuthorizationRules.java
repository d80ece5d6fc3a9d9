package dev.turnpike.controlplane.authorizer;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A method's {@code authorizationType}, as API Gateway names them: {@code NONE}, {@code JWT} (a jwt
 * authorizer) or {@code CUSTOM} (a token or request authorizer), with {@code authorizationScopes}
 * for JWT methods only (a token needs one of them in its {@code scope} or {@code scp} claim).
 */
public final class RouteAuthorizationRules {
  public static final String NONE = "NONE";
  public static final String JWT = "JWT";
  public static final String CUSTOM = "CUSTOM";
  public static final Set<String> TYPES = Set.of(NONE, JWT, CUSTOM);

  public static final int MAX_SCOPES = 50;

  /** OAuth's scope-token characters (RFC 6749 section 3.3), bounded. */
  private static final Pattern SCOPE = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}$");

  private RouteAuthorizationRules() {}

  /**
   * Checks the scopes of a method with this authorization type.
   *
   * @param problems receives (field, message)
   */
  public static void checkScopes(
      String authorizationType, List<String> scopes, BiConsumer<String, String> problems) {
    if (scopes == null || scopes.isEmpty()) {
      return;
    }
    if (!JWT.equals(authorizationType)) {
      problems.accept(
          "authorizationScopes",
          "apply only to JWT methods (a token must carry one of them); a custom authorizer decides"
              + " itself");
      return;
    }
    if (scopes.size() > MAX_SCOPES) {
      problems.accept("authorizationScopes", "may name at most " + MAX_SCOPES + " scopes");
    }
    for (int i = 0; i < scopes.size(); i++) {
      String scope = scopes.get(i);
      if (scope == null || !SCOPE.matcher(scope).matches()) {
        problems.accept(
            "authorizationScopes/" + i,
            "must be an OAuth scope: 1 to 256 printable characters without spaces, quotes or"
                + " backslashes");
      }
    }
  }
}
