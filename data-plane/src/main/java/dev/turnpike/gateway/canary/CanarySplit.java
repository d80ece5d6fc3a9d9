package dev.turnpike.gateway.canary;

import java.nio.charset.StandardCharsets;

/**
 * Which side of a stage's canary a caller is on: a hash of the stage, the caller and a time bucket
 * of the stickiness window, compared with the canary's share. Every node computes the same answer
 * without sharing state; over many callers the share is the setting (the hash is uniform); and a
 * caller keeps its side for a whole window. Each caller's windows start at an offset of its own, so
 * the callers do not all re-draw their side at the same instant.
 */
public final class CanarySplit {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  private final long stageSeed;
  private final int permille;
  private final long windowMillis;

  /**
   * @param stage names the stage (tenant, API, stage), so one caller's sides on two stages are
   *     independent
   * @param permille the canary's share in tenths of a percent, 0 to 1000
   * @param windowMillis how long a caller keeps its side, at least 1
   */
  public CanarySplit(String stage, int permille, long windowMillis) {
    if (permille < 0 || permille > 1000) {
      throw new IllegalArgumentException("permille must be 0..1000, was " + permille);
    }
    if (windowMillis < 1) {
      throw new IllegalArgumentException("windowMillis must be >= 1, was " + windowMillis);
    }
    this.stageSeed = fnv(FNV_OFFSET, stage);
    this.permille = permille;
    this.windowMillis = windowMillis;
  }

  /**
   * @param caller the API key the caller presents, else its source address; null reads as empty
   * @return whether the canary serves this caller at {@code nowMillis}
   */
  public boolean isCanary(String caller, long nowMillis) {
    if (permille == 0) {
      return false;
    }
    if (permille == 1000) {
      return true;
    }
    long callerHash = mix(fnv(stageSeed, caller == null ? "" : caller));
    long bucket = Math.floorDiv(nowMillis + phase(callerHash), windowMillis);
    long draw = mix(callerHash ^ (bucket * GOLDEN));
    return Long.remainderUnsigned(draw, 1000) < permille;
  }

  /** When the caller's current window began, epoch milliseconds: its side holds until one later. */
  public long windowStart(String caller, long nowMillis) {
    long callerHash = mix(fnv(stageSeed, caller == null ? "" : caller));
    long phase = phase(callerHash);
    return Math.floorDiv(nowMillis + phase, windowMillis) * windowMillis - phase;
  }

  private long phase(long callerHash) {
    return Long.remainderUnsigned(callerHash, windowMillis);
  }

  /** FNV-1a over the UTF-8 bytes, without allocating for ASCII (keys and addresses are ASCII). */
  private static long fnv(long seed, String text) {
    long hash = seed;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        hash = (hash ^ c) * FNV_PRIME;
      } else {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
      }
    }
    return hash;
  }

  /** MurmurHash3's 64-bit finalizer: spreads FNV's weak low bits over the whole word. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
