package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.problem.Validation;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * How a tenant's portal looks: its name, logo and two colours. The values end up in pages (the
 * colours in CSS), so they are checked strictly here and again by the portal: colours are hex
 * triplets only, the logo an absolute http(s) URL.
 *
 * @param displayName null to show the tenant's name
 * @param logoUrl null for no logo
 */
public record Branding(
    String displayName, String logoUrl, String primaryColor, String accentColor) {
  public static final String DEFAULT_PRIMARY = "#1f4b99";
  public static final String DEFAULT_ACCENT = "#e8a33d";
  static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  public static Branding defaults() {
    return new Branding(null, null, DEFAULT_PRIMARY, DEFAULT_ACCENT);
  }

  /** Fills in defaults for what was never set. */
  public Branding withDefaults() {
    return new Branding(
        displayName,
        logoUrl,
        primaryColor == null ? DEFAULT_PRIMARY : primaryColor,
        accentColor == null ? DEFAULT_ACCENT : accentColor);
  }

  /** Adds a field error for every value that may not be shown. */
  public void validate(Validation v) {
    v.length("/displayName", displayName, 1, 100);
    v.length("/logoUrl", logoUrl, 1, 2000);
    v.check("/logoUrl", logoUrl, Branding::isWebUrl, "must be an absolute http or https URL");
    v.matches("/primaryColor", primaryColor, COLOR, "must be a colour like #1f4b99");
    v.matches("/accentColor", accentColor, COLOR, "must be a colour like #e8a33d");
  }

  static boolean isWebUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return uri.isAbsolute()
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
