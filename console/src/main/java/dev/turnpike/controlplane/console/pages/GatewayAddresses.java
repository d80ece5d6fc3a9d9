package dev.turnpike.controlplane.console.pages;

/**
 * Where clients reach a stage, as pages show it: path style ({@code /{tenant}/{api}/{stage}}) on
 * the gateways' public URL when the operator gave it ({@code TURNPIKE_CP_CONSOLE_GATEWAY_URL}),
 * otherwise on a placeholder host the page explains. Host-style addresses and custom domains serve
 * the same stage.
 */
public final class GatewayAddresses {
  private static final String PLACEHOLDER = "<gateway>";

  private final String baseUrl;

  /**
   * @param baseUrl the gateways' public base URL without a trailing slash, e.g. {@code
   *     https://api.example.com}; null when not configured
   */
  public GatewayAddresses(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * A WebSocket API stage's addresses.
   *
   * @param connect what clients open, {@code wss://} (or {@code ws://} on a plain-HTTP gateway)
   * @param connections the callback API integrations send, read and close connections with
   * @param configured whether the host is the gateways' own rather than the placeholder
   */
  public record WebSocket(String connect, String connections, boolean configured) {}

  public WebSocket webSocket(String tenantSlug, String apiSlug, String stage) {
    String path = "/" + tenantSlug + "/" + apiSlug + "/" + stage;
    if (baseUrl == null) {
      return new WebSocket(
          "wss://" + PLACEHOLDER + path,
          "https://" + PLACEHOLDER + path + "/@connections/{connectionId}",
          false);
    }
    boolean tls = baseUrl.regionMatches(true, 0, "https:", 0, 6);
    String authority = baseUrl.substring(baseUrl.indexOf("://") + 3);
    return new WebSocket(
        (tls ? "wss://" : "ws://") + authority + path,
        baseUrl + path + "/@connections/{connectionId}",
        true);
  }
}
