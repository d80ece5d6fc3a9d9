package dev.turnpike.gateway.config;

/** Takes each state the {@link ConfigFeed} publishes, on the feed's thread. */
@FunctionalInterface
public interface ConfigListener {
  /**
   * @param changes what changed since the state this listener got before
   */
  void accept(ConfigState state, ConfigChanges changes);
}
