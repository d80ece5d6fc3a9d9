package dev.turnpike.controlplane.tenant;

/** What an operation needs of the caller's role in the tenant. */
public enum Access {
  READ,
  WRITE,
  MANAGE_MEMBERS
}
