package dev.turnpike.controlplane.tenant;

import java.util.Locale;

/** A member's role in one tenant. Owners manage members; admins change resources; viewers read. */
public enum Role {
  OWNER,
  ADMIN,
  VIEWER;

  public boolean allows(Access access) {
    return switch (access) {
      case READ -> true;
      case WRITE -> this != VIEWER;
      case MANAGE_MEMBERS -> this == OWNER;
    };
  }

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
