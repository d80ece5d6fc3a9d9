package dev.turnpike.controlplane.tenant;

import java.util.Set;

/**
 * Tenant slugs no tenant may take. A slug becomes a host ({@code acme.<portal domain>}, {@code
 * {api}.acme.<gateway domain>}) and a path segment ({@code /portal/acme}, {@code /acme/...} at the
 * gateway), so one named like the platform's own services, pages or mail would let a stranger pass
 * for the platform: a portal at {@code login.<domain>}, a sign-in page at {@code /portal/auth}.
 */
public final class ReservedSlugs {
  private static final Set<String> RESERVED =
      Set.of(
          // hosts and services of the platform
          "www",
          "api",
          "apis",
          "admin",
          "administrator",
          "portal",
          "portals",
          "console",
          "auth",
          "oauth",
          "oidc",
          "sso",
          "id",
          "identity",
          "keycloak",
          "static",
          "assets",
          "cdn",
          "media",
          "login",
          "logout",
          "signin",
          "signup",
          "register",
          "account",
          "accounts",
          "billing",
          "pay",
          "payments",
          "checkout",
          "invoices",
          "status",
          "health",
          "ready",
          "metrics",
          "docs",
          "doc",
          "help",
          "support",
          "blog",
          "developer",
          "developers",
          "dashboard",
          "gateway",
          "internal",
          "system",
          "root",
          "turnpike",
          "webhooks",
          "security",
          "localhost",
          "test",
          "dev",
          "staging",
          // mail and DNS names people trust
          "mail",
          "email",
          "smtp",
          "imap",
          "pop",
          "mx",
          "ns",
          "ns1",
          "ns2",
          "ftp",
          "abuse",
          "postmaster",
          "hostmaster",
          "webmaster",
          "noreply",
          "no-reply");

  private ReservedSlugs() {}

  public static boolean isReserved(String slug) {
    return RESERVED.contains(slug);
  }
}
