package dev.turnpike.controlplane.console.oidc;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.controlplane.auth.VerifiedToken;
import dev.turnpike.controlplane.console.web.ConsoleSession;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Sign-in, sign-up, the provider's callback and sign-out. The ID token and the access token are
 * both checked with the management API's own verifier code (signature against the JWKS, issuer,
 * audience, expiry): the ID token for the console's client with the nonce of this login, the access
 * token for the management API's audience, as the API itself would check it.
 */
public final class ConsoleLogin {
  private final OidcClient oidc;
  private final JwksTokenVerifier idTokens;
  private final JwksTokenVerifier accessTokens;
  private final SignIn signIn;
  private final Blocking blocking;

  public ConsoleLogin(
      OidcClient oidc,
      JwksTokenVerifier idTokens,
      JwksTokenVerifier accessTokens,
      SignIn signIn,
      Blocking blocking) {
    this.oidc = oidc;
    this.idTokens = idTokens;
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
    blocking
        .run(ctx.vertx().getOrCreateContext(), () -> oidc.begin(signUp))
        .onSuccess(
            login -> {
              ConsoleSession.pending(
                  ctx,
                  new ConsoleSession.PendingLogin(
                      login.state(), login.nonce(), login.codeVerifier(), returnTo));
              redirect(ctx, login.redirect());
            })
        .onFailure(ctx::fail);
  }

  private void callback(RoutingContext ctx) {
    ConsoleSession.PendingLogin pending = ConsoleSession.takePending(ctx);
    String state = ctx.request().getParam("state");
    if (pending == null || state == null || !same(pending.state(), state)) {
      ctx.fail(
          new OidcClient.OidcFailure(
              "This sign-in answer does not belong to a sign-in started in this browser, or it"
                  + " was used already. Start again from the console's sign-in page."));
      return;
    }
    String error = ctx.request().getParam("error");
    if (error != null) {
      ctx.fail(
          new OidcClient.OidcFailure(
              "The identity provider did not sign you in (" + error + "). Try again."));
      return;
    }
    String code = ctx.request().getParam("code");
    if (code == null) {
      ctx.fail(new OidcClient.OidcFailure("The identity provider's answer has no code"));
      return;
    }
    blocking
        .run(ctx.vertx().getOrCreateContext(), () -> oidc.exchange(code, pending.codeVerifier()))
        .compose(tokens -> checked(tokens, pending.nonce()))
        .compose(
            signedIn ->
                blocking
                    .run(ctx.vertx().getOrCreateContext(), () -> signIn.signIn(signedIn.token()))
                    .map(caller -> new Session(caller, signedIn.tokens())))
        .onSuccess(
            session -> {
              ConsoleSession.signIn(
                  ctx,
                  session.caller(),
                  session.tokens().idToken(),
                  session.tokens().refreshToken(),
                  System.currentTimeMillis());
              redirect(ctx, pending.returnTo());
            })
        .onFailure(ctx::fail);
  }

  private record SignedIn(VerifiedToken token, OidcClient.Tokens tokens) {}

  private record Session(Caller caller, OidcClient.Tokens tokens) {}

  private Future<SignedIn> checked(OidcClient.Tokens tokens, String nonce) {
    return idTokens
        .verify(tokens.idToken())
        .compose(
            id -> {
              String sentNonce = claims(tokens.idToken()).getString("nonce");
              if (sentNonce == null || !same(nonce, sentNonce)) {
                return Future.failedFuture(
                    new OidcClient.OidcFailure("The ID token does not carry this sign-in's nonce"));
              }
              return accessTokens
                  .verify(tokens.accessToken())
                  .compose(
                      access ->
                          access.subject().equals(id.subject())
                              ? Future.succeededFuture(new SignedIn(access, tokens))
                              : Future.failedFuture(
                                  new OidcClient.OidcFailure(
                                      "The ID and access tokens name different people")));
            });
  }

  private void logout(RoutingContext ctx) {
    String idToken = ConsoleSession.signOut(ctx);
    blocking
        .run(ctx.vertx().getOrCreateContext(), () -> oidc.logoutRedirect(idToken))
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

  /** The claims of a JWT whose signature was already verified. */
  private static JsonObject claims(String jwt) {
    String[] parts = jwt.split("\\.");
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
