package dev.turnpike.settings;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Secret values anyone can read in this repository: the placeholders of its example files and the
 * fixed credentials of earlier local trials. A service refuses them at start ({@link
 * SettingsReader#secret}), so a deployment copied from an example cannot run on a secret the whole
 * internet knows. The one list every service checks; add a value here when a file ships a new one.
 */
public final class PublishedSecrets {
  /** Values refused as they are, ignoring case. */
  static final Set<String> VALUES =
      Set.of(
          // Keycloak client secrets the realm file used to hold for the local trial.
          "turnpike-console-local-secret",
          "turnpike-portal-local-secret",
          // The local trial's Keycloak administrator and demo users.
          "turnpike-admin",
          "turnpike-demo-owner",
          "turnpike-demo-developer");

  /** Placeholders the example files use, refused with anything after them. */
  static final List<String> PREFIXES = List.of("change-me", "changeme", "change_me", "replace-me");

  private PublishedSecrets() {}

  /** True when {@code value} is one of the published placeholders or demo secrets. */
  public static boolean isPublished(String value) {
    if (value == null) {
      return false;
    }
    String normalized = value.strip().toLowerCase(Locale.ROOT);
    return VALUES.contains(normalized) || PREFIXES.stream().anyMatch(normalized::startsWith);
  }

  /** The problem to report for {@code key}, without the value. */
  public static String problem(String key) {
    return key
        + " holds a placeholder or demo value published with Turnpike; set a secret of your own"
        + " (e.g. from `openssl rand -hex 24`)";
  }
}
