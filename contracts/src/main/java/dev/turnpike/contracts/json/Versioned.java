package dev.turnpike.contracts.json;

/** A record that crosses a process boundary and says which version of its schema it follows. */
public interface Versioned {
  int schemaVersion();
}
