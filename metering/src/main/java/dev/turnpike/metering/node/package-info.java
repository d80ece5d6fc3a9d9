/**
 * The metering process: {@link dev.turnpike.metering.node.MeteringSettings} (environment), {@link
 * dev.turnpike.metering.node.MeteringService} (start and close), {@link
 * dev.turnpike.metering.node.MeteringMain} and the admin port.
 *
 * <p>Further work (rating, invoices, Stripe sync) plugs in as a {@link
 * dev.turnpike.metering.node.MeteringComponent}: list it in {@code MeteringMain.components()}. The
 * service starts components once PostgreSQL is reachable and the topics exist, before the usage
 * consumer, hands each a {@link dev.turnpike.metering.node.MeteringContext} (the pooled system
 * login, the meter registry, the clock, a shared timer and {@code onBatchCommitted} to hear about
 * every committed usage batch), counts them in {@code /ready}, and closes them in reverse order.
 */
package dev.turnpike.metering.node;
