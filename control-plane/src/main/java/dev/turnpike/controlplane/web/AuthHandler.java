package dev.turnpike.controlplane.web;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.ProblemKind;
import dev.turnpike.webkit.Blocking;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Requires a valid bearer token, signs its subject in (creating the user on first sight) and puts
 * the {@link Caller} on the routing context.
 */
final class AuthHandler implements Handler<RoutingContext> {
  private static final String CALLER = "turnpike.caller";

  private final JwksTokenVerifier verifier;
  private final SignIn signIn;
  private final Blocking blocking;

  AuthHandler(JwksTokenVerifier verifier, SignIn signIn, Blocking blocking) {
    this.verifier = verifier;
    this.signIn = signIn;
    this.blocking = blocking;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() < 8) {
      ctx.fail(new ApiFailure(ProblemKind.UNAUTHENTICATED, "Send a bearer token in Authorization"));
      return;
    }
    String token = header.substring(7).trim();
    verifier
        .verify(token)
        .compose(
            verified ->
                blocking.run(ctx.vertx().getOrCreateContext(), () -> signIn.signIn(verified)))
        .onSuccess(
            caller -> {
              ctx.put(CALLER, caller);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      throw new IllegalStateException("route is not behind the auth handler");
    }
    return caller;
  }
}
