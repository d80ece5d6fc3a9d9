package dev.turnpike.controlplane.memory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turnpike.controlplane.auth.Caller;
import dev.turnpike.controlplane.problem.ApiFailure;
import dev.turnpike.controlplane.tenant.Access;
import dev.turnpike.controlplane.tx.TenantTx;
import dev.turnpike.controlplane.web.UseCases;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One owner with one tenant on an in-memory control plane: what every use-case test starts from.
 */
final class Tenancy {
  final MemoryControlPlane cp;
  final UseCases u;
  final Caller owner;
  final UUID tenant;

  Tenancy() {
    this(Map.of());
  }

  Tenancy(Map<String, String> env) {
    this(new MemoryControlPlane(env));
  }

  Tenancy(MemoryControlPlane cp) {
    this(cp, "owner@example.com", "acme");
  }

  /** Another owner with a tenant of its own on the same control plane. */
  Tenancy(MemoryControlPlane cp, String email, String slug) {
    this.cp = cp;
    this.u = cp.useCases();
    this.owner = cp.user(email);
    this.tenant = cp.tenant(owner, slug);
  }

  /** Runs a change as the owner, in one transaction. */
  <T> T write(Function<TenantTx, T> work) {
    return cp.inTenant(owner, tenant, Access.WRITE, work);
  }

  /** As {@link #write}, for a list (so assertions see a list). */
  <E> List<E> list(Function<TenantTx, List<E>> work) {
    return write(work);
  }

  void run(Consumer<TenantTx> work) {
    write(
        tx -> {
          work.accept(tx);
          return null;
        });
  }

  /** The failure a change as the owner ends in (and which rolls it back). */
  ApiFailure failure(Consumer<TenantTx> work) {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(() -> run(work))
        .isInstanceOf(ApiFailure.class)
        .satisfies(t -> thrown[0] = t);
    return (ApiFailure) thrown[0];
  }
}
