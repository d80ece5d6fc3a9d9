package dev.turnpike.gateway.node;

import dev.turnpike.gateway.config.ConfigState;
import dev.turnpike.gateway.quota.LocalQuotaCounter;
import dev.turnpike.gateway.runtime.GatewayRuntime;
import dev.turnpike.gateway.runtime.RuntimeCompiler;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does with each state the config feed hands it: compiles the runtime and swaps it in
 * whole, and feeds metering's quota counts to the local counter. Runs on the feed's thread only, so
 * compiling never delays a request.
 */
public final class ConfigApplier implements Consumer<ConfigState> {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

  private final RuntimeCompiler compiler;
  private final AtomicReference<GatewayRuntime> runtime;
  private final QuotaStateApplier quotaStates;

  /**
   * @param runtime where the requests read the runtime from; this applier is its only writer
   */
  public ConfigApplier(
      RuntimeCompiler compiler, AtomicReference<GatewayRuntime> runtime, LocalQuotaCounter quotas) {
    this.compiler = compiler;
    this.runtime = runtime;
    this.quotaStates = new QuotaStateApplier(quotas);
  }

  @Override
  public void accept(ConfigState state) {
    long started = System.nanoTime();
    runtime.set(
        compiler.compile(
            state.deployments().values(),
            state.keysByHash(),
            state.plans().values(),
            state.version()));
    quotaStates.apply(state.quotaStates());
    LOG.info(
        "config version {} live: {} stages, {} keys, {} plans ({} ms)",
        state.version(),
        state.deployments().size(),
        state.keysByHash().size(),
        state.plans().size(),
        (System.nanoTime() - started) / 1_000_000);
  }
}
