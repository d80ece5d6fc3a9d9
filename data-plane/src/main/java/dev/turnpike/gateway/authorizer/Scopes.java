package dev.turnpike.gateway.authorizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OAuth scopes a token grants, from its {@code scope} claim (space-separated, RFC 8693) or its
 * {@code scp} claim (a space-separated string or an array, as Azure AD and Okta write it).
 */
public final class Scopes {
  private Scopes() {}

  /** The scopes {@code claims} grant, in their order; empty when none. */
  public static List<String> granted(Map<String, Object> claims) {
    List<String> scopes = new ArrayList<>();
    add(claims.get("scope"), scopes);
    add(claims.get("scp"), scopes);
    return scopes;
  }

  /** Whether {@code claims} grant at least one of {@code required}; true when none is required. */
  public static boolean grantsAny(Map<String, Object> claims, List<String> required) {
    if (required.isEmpty()) {
      return true;
    }
    for (String scope : granted(claims)) {
      if (required.contains(scope)) {
        return true;
      }
    }
    return false;
  }

  private static void add(Object claim, List<String> into) {
    if (claim instanceof String text) {
      for (String scope : text.split(" ")) {
        if (!scope.isEmpty()) {
          into.add(scope);
        }
      }
    } else if (claim instanceof List<?> list) {
      for (Object scope : list) {
        if (scope instanceof String text && !text.isEmpty()) {
          into.add(text);
        }
      }
    }
  }
}
