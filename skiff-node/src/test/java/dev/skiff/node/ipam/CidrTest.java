package dev.skiff.node.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void parsesIpv4AndComputesAddresses() throws Exception {
        Cidr cidr = Cidr.parse("192.168.0.0/18");

        assertThat(cidr.toString()).isEqualTo("192.168.0.0/18");
        assertThat(cidr.hostBits()).isEqualTo(14);
        assertThat(cidr.ipv4()).isTrue();
        assertThat(cidr.addressAt(0)).isEqualTo(InetAddress.getByName("192.168.0.0"));
        assertThat(cidr.addressAt(258)).isEqualTo(InetAddress.getByName("192.168.1.2"));
        assertThat(cidr.addressAt((1 << 14) - 1)).isEqualTo(InetAddress.getByName("192.168.63.255"));
        assertThat(cidr.offsetOf(InetAddress.getByName("192.168.1.2"))).isEqualTo(258);
        assertThat(cidr.contains(InetAddress.getByName("192.168.64.0"))).isFalse();
        assertThat(cidr.offsetOf(InetAddress.getByName("10.0.0.1"))).isEqualTo(-1);
    }

    @Test
    void parsesIpv6() throws Exception {
        Cidr cidr = Cidr.parse("fd00:10::/112");

        assertThat(cidr.ipv4()).isFalse();
        assertThat(cidr.hostBits()).isEqualTo(16);
        assertThat(cidr.addressAt(0x1234)).isEqualTo(InetAddress.getByName("fd00:10::1234"));
        assertThat(cidr.offsetOf(InetAddress.getByName("fd00:10::ffff"))).isEqualTo(0xffff);
        assertThat(cidr.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void refusesWhatIsNotACanonicalCidr() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/24")).hasMessageContaining("not a network address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).hasMessageContaining("expected address/prefix");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("numeric prefix");
        assertThatThrownBy(() -> Cidr.parse("10.0.256.0/24")).hasMessageContaining("above 255");
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0/24")).hasMessageContaining("IP address");
    }

    @Test
    void refusesOffsetsOutsideTheNetwork() {
        Cidr cidr = Cidr.parse("10.0.0.0/30");

        assertThatThrownBy(() -> cidr.addressAt(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cidr.addressAt(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
