package dev.turnpike.controlplane.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayAddressesTest {
  @Test
  void an_https_gateway_is_reached_with_wss_and_a_plain_one_with_ws() {
    GatewayAddresses.WebSocket tls =
        new GatewayAddresses("https://api.example.com").webSocket("acme", "chat", "prod");
    GatewayAddresses.WebSocket plain =
        new GatewayAddresses("http://127.0.0.1:8080").webSocket("acme", "chat", "prod");

    assertThat(tls.connect()).isEqualTo("wss://api.example.com/acme/chat/prod");
    assertThat(tls.connections())
        .isEqualTo("https://api.example.com/acme/chat/prod/@connections/{connectionId}");
    assertThat(tls.configured()).isTrue();
    assertThat(plain.connect()).isEqualTo("ws://127.0.0.1:8080/acme/chat/prod");
    assertThat(plain.connections())
        .isEqualTo("http://127.0.0.1:8080/acme/chat/prod/@connections/{connectionId}");
  }

  @Test
  void without_the_gateways_address_the_host_is_a_placeholder() {
    GatewayAddresses.WebSocket unknown = new GatewayAddresses(null).webSocket("acme", "chat", "v1");

    assertThat(unknown.connect()).isEqualTo("wss://<gateway>/acme/chat/v1");
    assertThat(unknown.connections())
        .isEqualTo("https://<gateway>/acme/chat/v1/@connections/{connectionId}");
    assertThat(unknown.configured()).isFalse();
  }
}
