package dev.turnpike.controlplane.authorizer;

import dev.turnpike.controlplane.function.InvokeUrlPolicy;
import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.UUID;

/**
 * Use cases of an API's authorizers. An authorizer is stated by name with a PUT that creates or
 * replaces it (keeping its id, so routes and deployments that name it carry on). A Lambda-style
 * authorizer's endpoint is held to the egress policy integration URIs are held to; its function is
 * resolved from the registry only at deployment, as aws_proxy integrations' are.
 */
public final class Authorizers {
  private final TxStore<AuthorizerStore> authorizerStore;
  private final InvokeUrlPolicy egress;
  private final OwnerLimits limits;

  public Authorizers(
      TxStore<AuthorizerStore> authorizerStore, InvokeUrlPolicy egress, OwnerLimits limits) {
    this.authorizerStore = authorizerStore;
    this.egress = egress;
    this.limits = limits;
  }

  /** Creates {@code name}, or replaces what it was. */
  public Authorizer put(TenantTx tx, UUID apiId, String name, AuthorizerSpec in) {
    // The API must exist before the input is judged: 404 comes before 400.
    AuthorizerStore store = authorizerStore.in(tx);
    if (!store.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    AuthorizerSpec spec = judge(tx, name, in);
    Authorizer before = store.find(apiId, name).orElse(null);
    if (before == null) {
      limits.check(Limit.AUTHORIZERS_PER_API, store.count(apiId) + 1L, null);
      Authorizer created = new Authorizer(UUID.randomUUID(), apiId, name, spec, tx.now(), tx.now());
      store.insert(created);
      tx.audit().record("authorizer.create", "authorizer", created.id(), null, created);
      return created;
    }
    checkTypeStillFits(store, before, spec);
    Authorizer after = new Authorizer(before.id(), apiId, name, spec, before.createdAt(), tx.now());
    store.update(after);
    tx.audit().record("authorizer.update", "authorizer", after.id(), before, after);
    return after;
  }

  /**
   * Checks an authorizer as {@link #put} would, without storing it: its fields, and its endpoint
   * against the tenant's egress policy.
   *
   * @throws ApiFailure 400 listing every problem
   */
  public AuthorizerSpec judge(TenantTx tx, String name, AuthorizerSpec in) {
    Validation v = new Validation();
    v.check("/name", name, AuthorizerRules::isName, AuthorizerRules.NAME_RULE);
    if (in == null) {
      v.add("", "must be an authorizer: {type, ...}");
      v.throwIfInvalid();
    }
    AuthorizerSpec spec =
        AuthorizerRules.check(in, (field, message) -> v.add("/" + field, message));
    if (v.ok() && spec.endpointUrl() != null) {
      String refused = egress.problem(tx.tenantId(), spec.endpointUrl());
      if (refused != null) {
        v.add("/endpointUrl", refused);
      }
    }
    v.throwIfInvalid();
    return spec;
  }

  public Authorizer get(TenantTx tx, UUID apiId, String name) {
    AuthorizerStore store = authorizerStore.in(tx);
    if (!store.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return store.find(apiId, name).orElseThrow(() -> notFound(name));
  }

  public List<Authorizer> list(TenantTx tx, UUID apiId) {
    AuthorizerStore store = authorizerStore.in(tx);
    if (!store.apiExists(apiId)) {
      throw apiNotFound(apiId);
    }
    return store.list(apiId);
  }

  /**
   * Deployments keep the authorizers they froze, so running stages carry on; an authorizer that
   * methods still name cannot be deleted (409 naming them), or the next deployment would have
   * routes pointing at nothing.
   */
  public void delete(TenantTx tx, UUID apiId, String name) {
    AuthorizerStore store = authorizerStore.in(tx);
    if (!store.lockApi(apiId)) {
      throw apiNotFound(apiId);
    }
    Authorizer before = store.find(apiId, name).orElseThrow(() -> notFound(name));
    List<String> users = store.routesUsing(before.id());
    if (!users.isEmpty()) {
      throw ApiFailure.conflict(
          "Authorizer "
              + name
              + " is used by "
              + users.size()
              + (users.size() == 1 ? " method: " : " methods: ")
              + String.join(", ", users.subList(0, Math.min(users.size(), 20)))
              + (users.size() > 20 ? ", ..." : "")
              + "; set their authorization to another authorizer or NONE first; nothing was"
              + " changed");
    }
    store.delete(before.id());
    tx.audit().record("authorizer.delete", "authorizer", before.id(), before, null);
  }

  /**
   * A route's authorization type follows its authorizer's type (JWT for jwt, CUSTOM otherwise): a
   * replacement that would change it while routes name the authorizer is refused.
   */
  private static void checkTypeStillFits(
      AuthorizerStore store, Authorizer before, AuthorizerSpec after) {
    if (before.spec().authorizationType().equals(after.authorizationType())) {
      return;
    }
    List<String> users = store.routesUsing(before.id());
    if (!users.isEmpty()) {
      throw ApiFailure.invalid(
          "/type",
          "cannot change from "
              + before.spec().type()
              + " to "
              + after.type()
              + " while methods use the authorizer as "
              + before.spec().authorizationType()
              + ": "
              + String.join(", ", users.subList(0, Math.min(users.size(), 20))));
    }
  }

  static ApiFailure notFound(String name) {
    return ApiFailure.notFound("Authorizer " + name);
  }

  private static ApiFailure apiNotFound(UUID apiId) {
    return ApiFailure.notFound("API " + apiId);
  }
}
