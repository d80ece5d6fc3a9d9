package dev.turnpike.controlplane.function;

import dev.turnpike.controlplane.limit.Limit;
import dev.turnpike.controlplane.limit.OwnerLimits;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Use cases of a tenant's function registry. A function is registered by name with a PUT that
 * creates or replaces it; its invoke URL is held to the egress policy integration URIs are held to,
 * so a tenant cannot aim the gateway at what it may not reach through an HTTP integration.
 */
public final class Functions {
  public static final int MIN_TIMEOUT_MS = 50;
  public static final int MAX_TIMEOUT_MS = 29_000;
  static final int MAX_URL_LENGTH = 2048;

  /**
   * @param timeoutMillis null for 29,000, API Gateway's integration maximum
   */
  public record FunctionInput(String invokeUrl, Integer timeoutMillis) {}

  private final TxStore<FunctionStore> functionStore;
  private final InvokeUrlPolicy egress;
  private final OwnerLimits limits;

  public Functions(
      TxStore<FunctionStore> functionStore, InvokeUrlPolicy egress, OwnerLimits limits) {
    this.functionStore = functionStore;
    this.egress = egress;
    this.limits = limits;
  }

  /** Registers {@code name}, or replaces what it was registered with. */
  public RegisteredFunction put(TenantTx tx, String name, FunctionInput in) {
    Validation v = new Validation();
    v.check("/name", name, FunctionNames::isRegistrable, FunctionNames.NAME_RULE);
    if (v.required("/invokeUrl", in.invokeUrl())) {
      String refused = egress.problem(tx.tenantId(), in.invokeUrl());
      if (refused != null) {
        v.add("/invokeUrl", refused);
      } else {
        v.check(
            "/invokeUrl",
            in.invokeUrl(),
            Functions::isInvokeUrl,
            "must be an absolute http or https URL with a host and no query, fragment or user"
                + " info, at most "
                + MAX_URL_LENGTH
                + " characters (the gateway POSTs to"
                + " {invokeUrl}/2015-03-31/functions/function/invocations)");
      }
    }
    v.range("/timeoutMillis", in.timeoutMillis(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    v.throwIfInvalid();
    FunctionStore store = functionStore.in(tx);
    String url = withoutTrailingSlash(in.invokeUrl());
    int timeout = in.timeoutMillis() == null ? MAX_TIMEOUT_MS : in.timeoutMillis();
    RegisteredFunction before = store.lock(name).orElse(null);
    if (before == null) {
      limits.check(Limit.FUNCTIONS_PER_TENANT, store.count() + 1L, null);
      RegisteredFunction created = new RegisteredFunction(name, url, timeout, tx.now(), tx.now());
      store.insert(created);
      tx.audit().record("function.create", "function", name, null, created);
      return created;
    }
    RegisteredFunction after =
        new RegisteredFunction(name, url, timeout, before.createdAt(), tx.now());
    store.update(after);
    tx.audit().record("function.update", "function", name, before, after);
    return after;
  }

  public RegisteredFunction get(TenantTx tx, String name) {
    return functionStore.in(tx).find(name).orElseThrow(() -> notFound(name));
  }

  public List<RegisteredFunction> list(TenantTx tx) {
    return functionStore.in(tx).list();
  }

  /**
   * Deployments keep the targets they resolved, so deleting a function leaves running stages as
   * they are; the next deployment that names it is refused.
   */
  public void delete(TenantTx tx, String name) {
    FunctionStore store = functionStore.in(tx);
    RegisteredFunction before = store.lock(name).orElseThrow(() -> notFound(name));
    store.delete(name);
    tx.audit().record("function.delete", "function", name, before, null);
  }

  static ApiFailure notFound(String name) {
    return ApiFailure.notFound("Function " + name);
  }

  static boolean isInvokeUrl(String url) {
    if (url.length() > MAX_URL_LENGTH) {
      return false;
    }
    try {
      URI parsed = new URI(url);
      return ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
          && parsed.getHost() != null
          && parsed.getRawUserInfo() == null
          && parsed.getRawQuery() == null
          && parsed.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
