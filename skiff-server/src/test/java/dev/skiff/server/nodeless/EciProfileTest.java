package dev.skiff.server.nodeless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EciProfileTest {

    @Test
    void defaultsAreTwoLocalZonesWithTheirOwnCidrs() {
        EciProfile profile = EciProfile.parse(EciProfile.defaults());
        assertThat(profile.region()).isEqualTo("local");
        assertThat(profile.vSwitches()).extracting(VSwitch::id, VSwitch::zone, v -> v.cidr().toString(),
                        VSwitch::nodeName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vsw-local-a", "local-a", "10.1.0.0/16",
                                "virtual-kubelet-local-a"),
                        org.assertj.core.groups.Tuple.tuple("vsw-local-b", "local-b", "10.2.0.0/16",
                                "virtual-kubelet-local-b"));
        assertThat(EciProfile.defaults()).containsKeys("vpcId", "securityGroupId", "vSwitchIds", "selectors",
                "enableClusterIp", "enableLogController", "enablePVCController", "enablePrivateZone",
                "featureGates");
    }

    @Test
    void vSwitchesWithoutNetworksGetDerivedZonesAndCidrs() {
        EciProfile profile = EciProfile.parse(Map.of("regionId", "cn-x", "vSwitchIds", " vsw-1-b , vsw-2-c"));
        assertThat(profile.vSwitches()).extracting(VSwitch::zone).containsExactly("cn-x-b", "cn-x-c");
        assertThat(profile.vSwitches()).extracting(v -> v.cidr().toString())
                .containsExactly("10.100.0.0/16", "10.101.0.0/16");
    }

    @Test
    void invalidContentIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> EciProfile.parse(Map.of("vSwitchIds", "a", "vSwitchNetworks", "[")))
                .hasMessageStartingWith("vSwitchNetworks:");
        assertThatThrownBy(() -> EciProfile.parse(Map.of("vSwitchIds", "a",
                "vSwitchNetworks", "{\"a\":{\"cidr\":\"nope\"}}")))
                .hasMessageContaining("invalid cidr \"nope\"");
        assertThatThrownBy(() -> EciProfile.parse(Map.of("vSwitchIds", "x-a,y-a")))
                .hasMessageContaining("two vSwitches in zone local-a");
    }
}
