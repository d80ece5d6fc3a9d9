package dev.turnpike.webkit.session;

import io.vertx.ext.web.sstore.SessionStore;

/**
 * Where a process keeps its sites' sessions: the process that holds the database login hands this
 * to the sites it serves, so a site names its sessions without reaching the database itself.
 */
@FunctionalInterface
public interface SessionStores {
  /** The store of the site whose session cookie is {@code site}; the caller closes it. */
  SessionStore forSite(String site);
}
