package dev.turnpike.gateway.http;

import dev.turnpike.contracts.config.ThrottleLimit;
import dev.turnpike.contracts.domain.SealedSecrets;
import dev.turnpike.gateway.bulkhead.RefusalPacingSettings;
import dev.turnpike.gateway.compression.ResponseCompression;
import dev.turnpike.gateway.forwarding.TrustedProxies;
import dev.turnpike.gateway.node.EventLoopTransport;
import dev.turnpike.gateway.runtime.TenantScope;
import dev.turnpike.gateway.tracing.GatewayTracer;
import dev.turnpike.gateway.upstream.UpstreamSettings;
import dev.turnpike.gateway.websocket.WebSocketSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * What a test changes of a rig; each setting left alone keeps the default {@link
 * GatewayRig#builder()} names.
 */
final class GatewayRigBuilder {
  private static final ThrottleLimit ACCOUNT_LIMIT = new ThrottleLimit(10_000, 5_000);
  private static final Map<String, String> TRIAL = Map.of("TURNPIKE_EGRESS_POLICY", "trial");

  // Read by the rig's constructor.
  long maxBodyBytes = 1024 * 1024;
  Long maxValidatedBodyBytes;
  TenantScope tenants = TenantScope.all();
  int maxInFlightPerTenant;
  TrustedProxies trustedProxies = TrustedProxies.none();
  Map<String, String> egress = TRIAL;
  AddressResolverOptions dns;
  UnaryOperator<HttpServerOptions> listener = ResponseCompression::onListener;
  ThrottleLimit accountLimit = ACCOUNT_LIMIT;
  SealedSecrets secrets;
  UpstreamSettings upstreamSettings = UpstreamSettings.DEFAULTS;
  LongSupplier nanoClock = System::nanoTime;
  WebSocketSettings webSocketSettings = WebSocketSettings.DEFAULTS;
  GatewayRig.WebSocketNode webSocketNode;
  GatewayTracer tracer = GatewayTracer.OFF;
  RefusalPacingSettings refusalPacing = RefusalPacingSettings.DEFAULTS;
  LongSupplier pacingClock = System::nanoTime;
  EventLoopTransport transport = EventLoopTransport.NIO;

  GatewayRigBuilder() {}

  /** The event loops' transport (nio unless a test names another the machine can run). */
  GatewayRigBuilder transport(EventLoopTransport transport) {
    this.transport = transport;
    return this;
  }

  /** The body limit, which validated bodies share unless {@link #maxValidatedBodyBytes} says. */
  GatewayRigBuilder maxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  GatewayRigBuilder maxValidatedBodyBytes(long maxValidatedBodyBytes) {
    this.maxValidatedBodyBytes = maxValidatedBodyBytes;
    return this;
  }

  /** The tenants the node serves. */
  GatewayRigBuilder tenants(TenantScope tenants) {
    this.tenants = tenants;
    return this;
  }

  GatewayRigBuilder maxInFlightPerTenant(int maxInFlightPerTenant) {
    this.maxInFlightPerTenant = maxInFlightPerTenant;
    return this;
  }

  /** The peers whose forwarding headers the rig believes. */
  GatewayRigBuilder trustedProxies(TrustedProxies trustedProxies) {
    this.trustedProxies = trustedProxies;
    return this;
  }

  /** The egress policy the gateway's own variables in {@code egress} give. */
  GatewayRigBuilder egress(Map<String, String> egress) {
    this.egress = egress;
    return this;
  }

  /** Names resolved through {@code hosts} (a hosts file's text) before DNS. */
  GatewayRigBuilder hosts(String hosts) {
    return dns(new AddressResolverOptions().setHostsValue(Buffer.buffer(hosts)));
  }

  /** Names resolved as {@code dns} says. */
  GatewayRigBuilder dns(AddressResolverOptions dns) {
    this.dns = dns;
    return this;
  }

  /**
   * The listener set up by {@code listener} instead of as a node's: to measure what the node's
   * listener options cost.
   */
  GatewayRigBuilder listener(UnaryOperator<HttpServerOptions> listener) {
    this.listener = listener;
    return this;
  }

  GatewayRigBuilder accountLimit(ThrottleLimit accountLimit) {
    this.accountLimit = accountLimit;
    return this;
  }

  /** Opens sealed secrets (backend client certificates' keys) with {@code secrets}. */
  GatewayRigBuilder secrets(SealedSecrets secrets) {
    this.secrets = secrets;
    return this;
  }

  /** Upstream breakers and retry budgets following {@code settings}, on {@code nanoClock}. */
  GatewayRigBuilder upstreams(UpstreamSettings settings, LongSupplier nanoClock) {
    this.upstreamSettings = settings;
    this.nanoClock = nanoClock;
    return this;
  }

  /** The node's WebSocket connections follow {@code settings}. */
  GatewayRigBuilder webSockets(WebSocketSettings settings) {
    this.webSocketSettings = settings;
    return this;
  }

  /** One gateway node of several, whose @connections calls reach the others through it. */
  GatewayRigBuilder webSocketNode(GatewayRig.WebSocketNode node) {
    this.webSocketNode = node;
    return this;
  }

  /** The requests {@code tracer} traces. */
  GatewayRigBuilder tracer(GatewayTracer tracer) {
    this.tracer = tracer;
    return this;
  }

  /**
   * How fast a flooding tenant's refusals are answered, instead of a node's defaults, paced on
   * {@code clock} (nanoseconds) so that a test decides when each refusal arrives.
   */
  GatewayRigBuilder refusalPacing(RefusalPacingSettings refusalPacing, LongSupplier clock) {
    this.refusalPacing = refusalPacing;
    this.pacingClock = clock;
    return this;
  }

  /** The rig, its listener started. */
  GatewayRig start() throws Exception {
    return new GatewayRig(this);
  }
}
