package dev.turnpike.portal.pages;

import io.vertx.ext.web.Session;

/**
 * A per-session allowance of calls a minute, kept in the session itself (so it ends with it): a
 * token bucket holding up to a minute's calls and refilled evenly across the minute.
 */
final class SessionRate {
  private static final double MINUTE_MILLIS = 60_000;

  private final String key;
  private final int perMinute;

  /**
   * @param key what the allowance is for, naming its entries in the session
   */
  SessionRate(String key, int perMinute) {
    this.key = key;
    this.perMinute = perMinute;
  }

  /** Takes one call from the session's allowance; false when none is left (nothing taken). */
  boolean take(Session session, long nowMillis) {
    Double stored = session.get(key + ".tokens");
    Long at = session.get(key + ".at");
    double tokens =
        stored == null || at == null
            ? perMinute
            : Math.min(perMinute, stored + Math.max(0, nowMillis - at) * perMinute / MINUTE_MILLIS);
    session.put(key + ".at", nowMillis);
    if (tokens < 1) {
      session.put(key + ".tokens", tokens);
      return false;
    }
    session.put(key + ".tokens", tokens - 1);
    return true;
  }

  int perMinute() {
    return perMinute;
  }
}
