package dev.skiff.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceCidrTest {

    @Test
    void anIpv4RangeSkipsItsNetworkAndBroadcastAddresses() {
        ServiceCidr cidr = ServiceCidr.parse("10.96.0.0/16");

        assertThat(cidr.family()).isEqualTo("IPv4");
        assertThat(cidr.size()).isEqualTo(65534);
        assertThat(cidr.addressAt(0)).isEqualTo("10.96.0.1");
        assertThat(cidr.addressAt(65533)).isEqualTo("10.96.255.254");
        assertThat(cidr.indexOf("10.96.0.10")).isEqualTo(9);
        assertThat(cidr.indexOf("10.96.0.0")).isEqualTo(-1);
        assertThat(cidr.indexOf("10.96.255.255")).isEqualTo(-1);
        assertThat(cidr.indexOf("10.97.0.1")).isEqualTo(-1);
        assertThat(cidr.indexOf("fd00::1")).isEqualTo(-1);
        assertThat(cidr.indexOf("not-an-ip")).isEqualTo(-1);
        // upstream's static band: min(max(16, 65536/16), 256)
        assertThat(cidr.staticBand()).isEqualTo(256);
        assertThat(ServiceCidr.parse("10.0.0.0/28").staticBand()).isZero();
        assertThat(ServiceCidr.parse("10.0.0.0/24").staticBand()).isEqualTo(16);
    }

    @Test
    void hostBitsAreClearedAndTooLargeRangesRefused() {
        assertThat(ServiceCidr.parse("10.96.7.9/16")).hasToString("10.96.0.0/16");
        assertThatThrownBy(() -> ServiceCidr.parse("10.0.0.0/8")).hasMessageContaining("the mask must be >= 12");
        assertThatThrownBy(() -> ServiceCidr.parse("10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceCidr.parse("10.0.0.1/31")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6RangesUseCanonicalText() {
        ServiceCidr cidr = ServiceCidr.parse("fd00:0:0:0::/112");

        assertThat(cidr).hasToString("fd00::/112");
        assertThat(cidr.family()).isEqualTo("IPv6");
        assertThat(cidr.size()).isEqualTo(65535);
        assertThat(cidr.addressAt(9)).isEqualTo("fd00::a");
        assertThat(cidr.indexOf("FD00:0::A")).isEqualTo(9);
        assertThat(IpAddresses.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.canonical("::ffff:10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(IpAddresses.parse("1:2:3:4:5:6:7:8:9")).isEmpty();
        assertThat(IpAddresses.parse("10.0.0.256")).isEmpty();
    }

    @Test
    void portRangesParseAndKeepAStaticBand() {
        PortRange range = PortRange.parse("30000-32767");

        assertThat(range).isEqualTo(PortRange.DEFAULT);
        assertThat(range).hasToString("30000-32767");
        assertThat(range.contains(30000)).isTrue();
        assertThat(range.contains(32768)).isFalse();
        assertThat(range.staticBand()).isEqualTo(86);
    }
}
