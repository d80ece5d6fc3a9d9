package dev.turnpike.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void holds_the_addresses_under_its_prefix_and_no_others() throws Exception {
    Cidr block = Cidr.parse("172.16.0.0/12");
    assertThat(block.contains(InetAddress.getByName("172.16.0.1"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
    assertThat(block.contains(InetAddress.getByName("172.15.255.255"))).isFalse();
  }

  @Test
  void compares_the_bits_of_a_prefix_that_ends_inside_a_byte_of_an_ipv6_address() throws Exception {
    Cidr block = Cidr.parse("fd00:ec2::254/127");
    assertThat(block.contains(InetAddress.getByName("fd00:ec2::254"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("fd00:ec2::255"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("fd00:ec2::256"))).isFalse();
  }

  @Test
  void holds_only_its_own_address_family() throws Exception {
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void refuses_bits_set_beyond_the_prefix_and_names_the_block_meant() {
    assertThatThrownBy(() -> Cidr.parse("10.1.2.3/16"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did you mean 10.1.0.0/16?");
  }
}
