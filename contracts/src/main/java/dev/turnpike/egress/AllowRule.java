package dev.turnpike.egress;

import java.net.InetAddress;

/**
 * An operator's grant of non-public targets: an address range and a port range, written {@code
 * 10.1.0.0/16:8080}, {@code 10.1.0.0/16:8000-8999}, {@code 10.1.2.3} (every port) or {@code
 * [fd12::/64]:443}. Addresses only: a host name is refused, since whoever answers for it in DNS
 * could point it anywhere, the platform's own listeners included.
 */
public record AllowRule(Cidr range, int fromPort, int toPort) {
  /** The port when a target's port is not known yet (a stage variable fills it in). */
  public static final int ANY_PORT = -1;

  public AllowRule {
    if (fromPort < 1 || toPort > 65_535 || fromPort > toPort) {
      throw new IllegalArgumentException("ports must be 1 to 65535, low to high");
    }
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static AllowRule parse(String text) {
    String rule = text.strip();
    String range;
    String ports;
    if (rule.startsWith("[")) {
      int close = rule.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "' opens '[' without closing it");
      }
      range = rule.substring(1, close);
      String rest = rule.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
      }
      ports = rest.isEmpty() ? null : rest.substring(1);
    } else if (rule.indexOf(':') != rule.lastIndexOf(':')) {
      range = rule; // IPv6 without brackets: no port
      ports = null;
    } else {
      int colon = rule.indexOf(':');
      range = colon < 0 ? rule : rule.substring(0, colon);
      ports = colon < 0 ? null : rule.substring(colon + 1);
    }
    refuseHostName(range, text);
    Cidr cidr = Cidr.parse(range);
    if (ports == null) {
      return new AllowRule(cidr, 1, 65_535);
    }
    int dash = ports.indexOf('-');
    int from = port(dash < 0 ? ports : ports.substring(0, dash), text);
    int to = dash < 0 ? from : port(ports.substring(dash + 1), text);
    if (from > to) {
      throw new IllegalArgumentException("'" + text + "': the port range runs backwards");
    }
    return new AllowRule(cidr, from, to);
  }

  private static void refuseHostName(String range, String rule) {
    int slash = range.indexOf('/');
    String host = slash < 0 ? range : range.substring(0, slash);
    boolean name =
        host.indexOf(':') < 0 && HostLiteral.parse(host) == null && host.matches(".*[A-Za-z].*");
    if (name) {
      throw new IllegalArgumentException(
          "'"
              + rule.strip()
              + "' names the host '"
              + host
              + "': grants take IP addresses only (a name's DNS answer could point it"
              + " anywhere); write the address it stands for, e.g. 10.0.0.5:8180");
    }
  }

  private static int port(String text, String rule) {
    if (!text.matches("\\d{1,5}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > 65_535) {
      throw new IllegalArgumentException(
          "'" + rule + "': '" + text + "' is not a port (1 to 65535)");
    }
    return Integer.parseInt(text);
  }

  /**
   * Whether the rule names one listener: one address and one port ({@code 127.0.0.1:8180}), never a
   * range of either. Only such a rule, granted to one tenant, opens a platform listener to it.
   */
  public boolean exact() {
    return range.singleAddress() && fromPort == toPort;
  }

  /** Whether the rule is {@link #exact} and names {@code address} on {@code port}. */
  public boolean namesExactly(InetAddress address, int port) {
    return exact() && port == fromPort && range.contains(address);
  }

  /** Whether the rule admits {@code address} on {@code port} ({@link #ANY_PORT}: any of its). */
  public boolean covers(InetAddress address, int port) {
    boolean portMatches = port == ANY_PORT || (port >= fromPort && port <= toPort);
    return portMatches && range.contains(address);
  }

  @Override
  public String toString() {
    String ports =
        fromPort == 1 && toPort == 65_535
            ? ""
            : ":" + (fromPort == toPort ? fromPort : fromPort + "-" + toPort);
    String text = range.toString();
    return text.indexOf(':') >= 0 && !ports.isEmpty() ? "[" + text + "]" + ports : text + ports;
  }
}
