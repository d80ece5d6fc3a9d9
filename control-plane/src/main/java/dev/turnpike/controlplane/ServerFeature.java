package dev.turnpike.controlplane;

import dev.turnpike.controlplane.auth.JwksTokenVerifier;
import dev.turnpike.controlplane.auth.SignIn;
import dev.turnpike.controlplane.auth.UserDirectory;
import dev.turnpike.controlplane.portal.PortalFeature;
import dev.turnpike.controlplane.tx.TenantTransactor;
import dev.turnpike.controlplane.tx.TxStore;
import dev.turnpike.controlplane.usage.TrafficSummary;
import dev.turnpike.controlplane.web.Endpoints;
import dev.turnpike.controlplane.web.UseCases;
import dev.turnpike.webkit.Blocking;
import dev.turnpike.webkit.session.SessionStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A part of the control plane process that another module brings (the owner console, in {@code
 * console}): started once the control plane's use cases are wired, it serves its routes on the
 * management API's server and reaches the database only through those use cases.
 */
@FunctionalInterface
public interface ServerFeature {
  /** Starts the feature; the control plane fails to start when the future fails. */
  Future<Started> start(Wiring wiring);

  /** A started feature: its routes, and what to stop when the control plane closes. */
  interface Started extends Endpoints, AutoCloseable {
    @Override
    void close();
  }

  /**
   * What a feature gets from the control plane's wiring.
   *
   * @param accessTokens how the management API checks tokens; a feature checking ID tokens checks
   *     them the same way, for its own client as audience
   * @param sessions where a feature's pages keep their sessions: in the platform database, so every
   *     control plane instance serves every session
   */
  record Wiring(
      Vertx vertx,
      JwksTokenVerifier.Config accessTokens,
      JwksTokenVerifier accessVerifier,
      SignIn signIn,
      UserDirectory users,
      Blocking blocking,
      TenantTransactor transactor,
      UseCases useCases,
      PortalFeature.OwnerUseCases portal,
      TxStore<TrafficSummary> traffic,
      SessionStores sessions,
      int maxBodyBytes) {}
}
