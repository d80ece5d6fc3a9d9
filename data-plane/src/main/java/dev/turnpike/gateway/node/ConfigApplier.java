package dev.turnpike.gateway.node;

import dev.turnpike.gateway.config.ConfigChanges;
import dev.turnpike.gateway.config.ConfigListener;
import dev.turnpike.gateway.config.ConfigState;
import dev.turnpike.gateway.domain.DomainRegistry;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with each state the config feed hands it. A change of deployments, keys or plans
 * is compiled into a new runtime, rebuilding only what changed, and swapped in whole. Metering's
 * quota counts go straight to the local quota counter: they change no runtime; custom domains go to
 * the domain registry, which the TLS listener and the request chain read. Runs on the feed's thread
 * only, so compiling never delays a request.
 */
public final class ConfigApplier implements ConfigListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

  private final RuntimeCompiler compiler;
  private final AtomicReference<GatewayRuntime> runtime;
  private final QuotaStateApplier quotaStates;
  private final DomainRegistry domains;

  /** An applier for a node that serves no custom domains. */
  public ConfigApplier(
      RuntimeCompiler compiler, AtomicReference<GatewayRuntime> runtime, LocalQuotaCounter quotas) {
    this(compiler, runtime, quotas, null);
  }

  /**
   * @param runtime where the requests read the runtime from; this applier is its only writer
   * @param domains where custom domains go; null to ignore them
   */
  public ConfigApplier(
      RuntimeCompiler compiler,
      AtomicReference<GatewayRuntime> runtime,
      LocalQuotaCounter quotas,
      DomainRegistry domains) {
    this.compiler = compiler;
    this.runtime = runtime;
    this.quotaStates = new QuotaStateApplier(quotas);
    this.domains = domains;
  }

  @Override
  public void accept(ConfigState state, ConfigChanges changes) {
    if (changes.touchesRuntime()) {
      long started = System.nanoTime();
      runtime.set(compile(state, changes));
      LOG.info(
          "config version {} live: {} stages, {} keys, {} plans ({} ms)",
          state.version(),
          state.deployments().size(),
          state.keysByHash().size(),
          state.plans().size(),
          (System.nanoTime() - started) / 1_000_000);
    }
    quotaStates.apply(
        state.quotaStates(), changes.all() ? state.quotaStates().keySet() : changes.quotaStates());
    if (domains != null && changes.touchesDomains()) {
      domains.apply(state.domains(), changes.domains(), changes.all());
    }
  }

  private GatewayRuntime compile(ConfigState state, ConfigChanges changes) {
    if (changes.all()) {
      return compiler.compile(
          state.deployments(), state.keysByHash(), state.plans(), state.version());
    }
    return compiler.update(
        state.deployments(),
        changes.deployments(),
        state.keysByHash(),
        changes.keys(),
        state.plans(),
        changes.plans(),
        state.version());
  }
}
