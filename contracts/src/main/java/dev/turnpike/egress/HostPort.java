package dev.turnpike.egress;

/**
 * A listener as an operator writes it: {@code host:port}, {@code [v6]:port}, or {@code *:port} /
 * {@code 0.0.0.0:port} for a port on every address of the machine.
 */
public record HostPort(String host, int port) {
  public HostPort {
    host = HostLiteral.normalize(host);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the host is empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("the port must be 1 to 65535, was " + port);
    }
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static HostPort parse(String text) {
    String value = text.strip();
    int colon = value.lastIndexOf(':');
    boolean bracketed = value.startsWith("[");
    if (colon < 0
        || (bracketed && value.charAt(colon - 1) != ']')
        || (!bracketed && value.indexOf(':') != colon)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not host:port ([address]:port for IPv6)");
    }
    String port = value.substring(colon + 1);
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("'" + text + "': '" + port + "' is not a port");
    }
    return new HostPort(value.substring(0, colon), Integer.parseInt(port));
  }

  /** Whether the host stands for every address of the machine. */
  public boolean wildcard() {
    return host.equals("*") || host.equals("0.0.0.0") || host.equals("::");
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
