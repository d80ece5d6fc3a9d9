package dev.turnpike.contracts.json;

/** Bytes that are not a valid record of the expected contract; the message says why. */
public final class ContractDecodingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractDecodingException(String message, Throwable cause) {
    super(message, cause);
  }

  public ContractDecodingException(String message) {
    super(message);
  }
}
