package dev.turnpike.controlplane.alarm;

/**
 * An alarm as its owner states it in a POST or PUT.
 *
 * @param enabled null for true
 */
public record AlarmSpec(
    String name,
    String stage,
    String metric,
    String comparison,
    Double threshold,
    Integer windowMinutes,
    String webhookUrl,
    Boolean enabled) {

  public boolean enabledOrDefault() {
    return enabled == null || enabled;
  }
}
