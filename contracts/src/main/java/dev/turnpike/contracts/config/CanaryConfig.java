package dev.turnpike.contracts.config;

/**
 * A stage's canary as the gateway serves it (API Gateway's {@code canarySettings}): a share of the
 * stage's callers is served by another deployment of the same API. Which side a caller is on is a
 * deterministic function of the stage, the caller (API key, else source address) and a time bucket
 * of {@code stickinessSeconds}, so every node agrees without shared state and a caller does not
 * flap between sides within a window.
 *
 * @param percentTraffic the canary's share, 0 to 100 in steps of 0.1
 * @param useStageCache whether canary requests read and write the stage's response cache
 * @param stickinessSeconds how long a caller stays on its side, at least 1
 * @param deployment what the canary serves: its deployment with the stage's settings and its
 *     stage-variable overrides merged into the stage's variables; its own {@code canary} is null
 */
public record CanaryConfig(
    double percentTraffic,
    boolean useStageCache,
    int stickinessSeconds,
    DeploymentSnapshot deployment) {
  public static final int DEFAULT_STICKINESS_SECONDS = 300;
  public static final int MAX_STICKINESS_SECONDS = 86_400;

  public CanaryConfig {
    if (!(percentTraffic >= 0 && percentTraffic <= 100)) {
      throw new IllegalArgumentException("percentTraffic must be 0..100, was " + percentTraffic);
    }
    if (stickinessSeconds < 1 || stickinessSeconds > MAX_STICKINESS_SECONDS) {
      throw new IllegalArgumentException(
          "stickinessSeconds must be 1.." + MAX_STICKINESS_SECONDS + ", was " + stickinessSeconds);
    }
    if (deployment == null) {
      throw new IllegalArgumentException("a canary needs its deployment");
    }
  }

  /** The canary's share in tenths of a percent (0 to 1000), as the gateway compares it. */
  public int permille() {
    return (int) Math.round(percentTraffic * 10);
  }
}
