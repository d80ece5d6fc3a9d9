package dev.turnpike.platform;

/** A start-up failure the user can act on; its message is printed as is, without a stack. */
public final class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
