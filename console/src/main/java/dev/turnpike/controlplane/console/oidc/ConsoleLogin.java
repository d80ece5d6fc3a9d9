package dev.turnpike.controlplane.console.oidc;

import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.controlplane.auth.VerifiedToken;
import dev.turnpike.controlplane.console.web.ConsoleSession;
import dev.turnpike.webkit.Blocking;
import dev.turnpike.webkit.SessionPolicy;
import dev.turnpike.webkit.oidc.OidcFailure;
import dev.turnpike.webkit.oidc.OidcLogin;
import dev.turnpike.webkit.oidc.SignedIn;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Sign-in, sign-up, the provider's callback and sign-out, on the web kit's OIDC sign-in (which
 * checks state, PKCE, and the ID token's signature, issuer, audience, expiry and nonce). The access
 * token is then checked with the management API's own verifier, for the management API's audience,
 * as the API itself would check it, and must name the same person as the ID token.
 */
public final class ConsoleLogin {
  private static final String RETURN_TO = "return";

  private final OidcLogin login;
  private final String redirectUri;
  private final String afterLogout;
  private final JwksTokenVerifier accessTokens;
  private final SignIn signIn;
  private final Blocking blocking;

  /**
   * @param redirectUri the console's callback, as the provider knows it
   * @param afterLogout where the provider's logout sends the browser back to
   */
  public ConsoleLogin(
      OidcLogin login,
      String redirectUri,
      String afterLogout,
      JwksTokenVerifier accessTokens,
      SignIn signIn,
      Blocking blocking) {
    this.login = login;
    this.redirectUri = redirectUri;
    this.afterLogout = afterLogout;
    this.accessTokens = accessTokens;
    this.signIn = signIn;
    this.blocking = blocking;
  }

  public void mount(Router router) {
    router.get("/login").handler(this::login);
    router.get("/callback").handler(this::callback);
    router.post("/logout").handler(this::logout);
  }

  private void login(RoutingContext ctx) {
    boolean signUp = "1".equals(ctx.request().getParam("signup"));
    String returnTo = safeReturn(ctx.request().getParam("return"));
    login
        .begin(ctx, redirectUri, signUp, Map.of(RETURN_TO, returnTo))
        .onSuccess(location -> redirect(ctx, location))
        .onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    login
        .complete(ctx)
        .compose(
            completed ->
                accessTokenOf(completed.signedIn())
                    .compose(
                        token ->
                            blocking.run(
                                ctx.vertx().getOrCreateContext(), () -> signIn.signIn(token)))
                    .onSuccess(
                        caller -> {
                          ConsoleSession.signIn(
                              ctx,
                              caller,
                              completed.signedIn().tokens(),
                              System.currentTimeMillis());
                          redirect(ctx, safeReturn(completed.carried().get(RETURN_TO)));
                        }))
        .onFailure(ctx::fail);
  }

  private Future<VerifiedToken> accessTokenOf(SignedIn signedIn) {
    return accessTokens
        .verify(signedIn.tokens().accessToken())
        .compose(
            access ->
                access.subject().equals(signedIn.subject())
                    ? Future.succeededFuture(access)
                    : Future.failedFuture(
                        new OidcFailure("The ID and access tokens name different people")));
  }

  private void logout(RoutingContext ctx) {
    String idToken = ConsoleSession.signOut(ctx);
    login
        .client()
        .logoutUrl(idToken, afterLogout)
        .onSuccess(location -> redirect(ctx, location))
        .onFailure(ctx::fail);
  }

  /** Only a console path may be returned to, so the login cannot become an open redirect. */
  static String safeReturn(String requested) {
    if (requested == null
        || !requested.startsWith("/console/")
        || requested.startsWith("//")
        || requested.contains("\\")
        || requested.startsWith("/console/login")
        || requested.startsWith("/console/callback")) {
      return "/console/";
    }
    return requested;
  }

  /**
   * Redirects once the session is stored: the sign-in's state, or the signed-in session under its
   * new id, must be there for the next request whichever instance serves it.
   */
  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303);
    SessionPolicy.save(ctx)
        .onComplete(saved -> ctx.response().putHeader("Location", location).end());
  }
}
