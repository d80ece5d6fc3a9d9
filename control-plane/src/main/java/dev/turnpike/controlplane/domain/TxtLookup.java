package dev.turnpike.controlplane.domain;

import java.util.List;

/** Reads DNS TXT records, for {@link OwnershipCheck#dns}. Blocking. */
@FunctionalInterface
public interface TxtLookup {
  /**
   * What a lookup found: the TXT strings of the name (empty when there are none), or why the
   * resolver could not say.
   */
  record Answer(List<String> values, String failure) {
    public static Answer found(List<String> values) {
      return new Answer(List.copyOf(values), null);
    }

    public static Answer failed(String why) {
      return new Answer(List.of(), why);
    }
  }

  Answer txt(String name);
}
