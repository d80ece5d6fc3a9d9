package dev.turnpike.contracts.config;

/** Quota periods as API Gateway usage plans have them, aligned to UTC. */
public enum QuotaPeriod {
  DAY,
  WEEK,
  MONTH
}
