/**
 * Quota state for the gateways: period arithmetic in UTC ({@link
 * dev.turnpike.contracts.config.QuotaCalendar}, shared with the gateway), AWS's initial-period
 * offset ({@link dev.turnpike.metering.quota.QuotaRule}), evaluation from the day aggregates and
 * the {@link dev.turnpike.metering.quota.QuotaWorker} that publishes to {@code
 * turnpike.quota-state} after each batch and at each period boundary.
 */
package dev.turnpike.metering.quota;
