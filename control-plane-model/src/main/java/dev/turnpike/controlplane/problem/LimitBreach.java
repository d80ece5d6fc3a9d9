package dev.turnpike.controlplane.problem;

/**
 * An owner limit a request would pass, as a problem answer names it.
 *
 * @param name what is limited, e.g. "routes per API"
 * @param setting the variable an operator sets it with
 * @param max the most the limit allows
 * @param actual what the request would make, or -1 when it is not known (a body refused before it
 *     was read whole)
 */
public record LimitBreach(String name, String setting, long max, long actual) {}
