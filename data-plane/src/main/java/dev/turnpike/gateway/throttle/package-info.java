/**
 * Request-rate limits (rate and burst) enforced in the gateway with GCRA. Limits are per key (API
 * key, key and method, stage or tenant: the caller chooses the key and holds one {@link
 * dev.turnpike.gateway.throttle.GcraLimiter} per limit), and each of N gateway nodes enforces its
 * share of a cluster-wide limit without talking to the others per request; N may change at run time
 * ({@link dev.turnpike.gateway.throttle.GcraLimiter#shareAcross}).
 */
package dev.turnpike.gateway.throttle;
