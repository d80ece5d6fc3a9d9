package dev.turnpike.gateway.runtime;

import dev.turnpike.contracts.config.KeyRecord;
import java.util.Map;

/**
 * An API key as the gateway checks it.
 *
 * @param quotaCounterKeys per plan id, the {@code keyId/planId} string the quota counter and
 *     metering's quota state use, built once so requests do not concatenate it
 */
public record KeyRuntime(KeyRecord record, Map<String, String> quotaCounterKeys) {}
