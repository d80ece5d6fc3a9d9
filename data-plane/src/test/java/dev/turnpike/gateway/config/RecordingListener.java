package dev.turnpike.gateway.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A config listener that keeps every state it was handed, in order. */
final class RecordingListener implements Consumer<ConfigState> {
  private final List<ConfigState> states = new CopyOnWriteArrayList<>();

  @Override
  public void accept(ConfigState state) {
    states.add(state);
  }

  List<ConfigState> states() {
    return List.copyOf(states);
  }

  int count() {
    return states.size();
  }

  ConfigState last() {
    return states.isEmpty() ? null : states.get(states.size() - 1);
  }
}
