package dev.turnpike.webkit.oidc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * The browser session's side of a sign-in: {@link #begin} keeps the attempt's state, nonce and PKCE
 * verifier in the server-side session, {@link #complete} takes them out again (so an answer is used
 * once) and accepts the provider's answer only with the same state. A site carries its own values
 * through (where to return to, the tenant); the session id is rotated by {@link
 * SessionTokens#signIn} once the site accepts the person.
 */
public final class OidcLogin {
  private static final String PENDING = "oidc.pending";
  private static final int MAX_ERROR_SHOWN = 100;

  /** A sign-in the provider confirmed, with what the site carried through it. */
  public record Completed(SignedIn signedIn, Map<String, String> carried) {}

  private final OidcClient oidc;

  public OidcLogin(OidcClient oidc) {
    this.oidc = oidc;
  }

  public OidcClient client() {
    return oidc;
  }

  /**
   * Starts a sign-in for this browser session.
   *
   * @param redirectUri where the provider sends the browser back (the site's callback)
   * @param carried the site's own values, given back by {@link #complete}
   * @return the provider URL to send the browser to
   */
  public Future<String> begin(
      RoutingContext ctx, String redirectUri, boolean signUp, Map<String, String> carried) {
    return oidc.begin(redirectUri, signUp)
        .map(
            request -> {
              JsonObject pending =
                  new JsonObject()
                      .put("state", request.state())
                      .put("nonce", request.nonce())
                      .put("verifier", request.verifier())
                      .put("redirect", redirectUri)
                      .put("carried", new JsonObject(new HashMap<>(carried)));
              // A string, so the session store can be swapped for a shared one.
              ctx.session().put(PENDING, pending.encode());
              return request.url();
            });
  }

  /**
   * The provider's answer at the site's callback: refused with {@link LoginRefused} when no sign-in
   * of this session is pending under its state or the provider declined, else the code exchanged
   * and the ID token verified ({@link OidcClient#finish}).
   */
  public Future<Completed> complete(RoutingContext ctx) {
    Session session = ctx.session();
    String stored = session == null ? null : session.remove(PENDING);
    JsonObject pending = stored == null ? null : new JsonObject(stored);
    String state = ctx.request().getParam("state");
    if (pending == null || state == null || !same(pending.getString("state"), state)) {
      return Future.failedFuture(
          new LoginRefused(
              LoginRefused.Reason.NOT_STARTED_HERE,
              "This sign-in answer does not belong to a sign-in started in this browser, or it was"
                  + " used already. Start the sign-in again.",
              Map.of()));
    }
    Map<String, String> carried = new HashMap<>();
    pending.getJsonObject("carried").forEach(e -> carried.put(e.getKey(), (String) e.getValue()));
    String error = ctx.request().getParam("error");
    String code = ctx.request().getParam("code");
    if (error != null || code == null) {
      String shown = error == null ? "no code" : shorten(error);
      return Future.failedFuture(
          new LoginRefused(
              LoginRefused.Reason.DECLINED,
              "The identity provider did not sign you in (" + shown + "). Try again.",
              carried));
    }
    return oidc.finish(
            code,
            pending.getString("redirect"),
            pending.getString("verifier"),
            pending.getString("nonce"))
        .map(signedIn -> new Completed(signedIn, Map.copyOf(carried)));
  }

  private static String shorten(String error) {
    return error.length() <= MAX_ERROR_SHOWN ? error : error.substring(0, MAX_ERROR_SHOWN) + "…";
  }

  private static boolean same(String expected, String sent) {
    return expected != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }
}
