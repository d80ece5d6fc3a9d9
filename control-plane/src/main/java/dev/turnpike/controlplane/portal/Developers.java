package dev.turnpike.controlplane.portal;

import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.problem.Validation;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.tx.TxStore;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A person registers as a developer in one tenant's portal with a profile (name, email, company);
 * registering again updates it. Registration is what lets them create apps there; it gives them no
 * say over the tenant itself.
 */
public final class Developers {
  private final TxStore<PortalStore> portalStore;

  public Developers(TxStore<PortalStore> portalStore) {
    this.portalStore = portalStore;
  }

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public record Profile(String displayName, String email, String company) {}

  public Developer me(TenantTx tx) {
    return portalStore
        .in(tx)
        .developer(tx.caller().userId())
        .orElseThrow(() -> ApiFailure.notFound("Developer registration in this portal"));
  }

  public Developer register(TenantTx tx, Profile in) {
    String email = in.email() == null ? tx.caller().email() : in.email();
    String name = in.displayName() == null ? tx.caller().displayName() : in.displayName();
    String company = in.company() == null || in.company().isBlank() ? null : in.company().strip();
    Validation v = new Validation();
    if (v.required("/displayName", name)) {
      v.length("/displayName", name.strip(), 1, 200);
    }
    if (v.required("/email", email)) {
      v.length("/email", email, 3, 320);
      v.matches("/email", email.strip(), EMAIL, "must be an email address");
    }
    v.length("/company", company, 1, 200);
    v.throwIfInvalid();
    PortalStore store = portalStore.in(tx);
    var before = store.developer(tx.caller().userId());
    if (before.isEmpty()) {
      Developer created =
          new Developer(
              tx.caller().userId(),
              name.strip(),
              email.strip(),
              company,
              "active",
              null,
              null,
              tx.now(),
              tx.now());
      store.insertDeveloper(created);
      tx.audit().record("developer.register", "developer", created.userId(), null, created);
      return created;
    }
    Developer after = before.get().withProfile(name.strip(), email.strip(), company, tx.now());
    store.updateDeveloper(after);
    tx.audit().record("developer.update", "developer", after.userId(), before.get(), after);
    return after;
  }

  /** For the owner: everyone registered in the portal. */
  public List<Developer> list(TenantTx tx) {
    return portalStore.in(tx).developers();
  }
}
