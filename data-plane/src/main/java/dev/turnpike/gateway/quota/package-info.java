/**
 * Usage-plan quotas (requests per day, week or month) as a gateway node sees them. Metering keeps
 * the authoritative count; {@link dev.turnpike.gateway.quota.LocalQuotaCounter} adds what this node
 * admitted since metering's last update, so requests can be refused without a remote call and the
 * overshoot stays within the events in flight. The records here are local to the gateway; the
 * consumer of metering's quota-state topic maps its messages onto {@link
 * dev.turnpike.gateway.quota.QuotaStateUpdate}.
 */
package dev.turnpike.gateway.quota;
