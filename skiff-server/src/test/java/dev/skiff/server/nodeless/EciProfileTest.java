package dev.skiff.server.nodeless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.admission.PodSelector;
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

    @Test
    void selectorsAreParsedInOrder() {
        EciProfile profile = EciProfile.parse(Map.of("vSwitchIds", "vsw-a", "selectors", """
                [{"name": "by-namespace", "namespaceLabels": {"matchLabels": {"team": "a"}},
                  "effect": {"annotations": {"k8s.aliyun.com/eci-use-specs": "2-4Gi"}, "labels": {"eci": "true"}}},
                 {"name": "by-pod", "objectLabels": {"matchLabels": {"app": "web"}}}]
                """));
        assertThat(profile.selectors()).containsExactly(
                new PodSelector("by-namespace", Map.of("team", "a"), Map.of(),
                        Map.of("k8s.aliyun.com/eci-use-specs", "2-4Gi"), Map.of("eci", "true")),
                new PodSelector("by-pod", Map.of(), Map.of("app", "web"), Map.of(), Map.of()));
        assertThat(EciProfile.parse(EciProfile.defaults()).selectors()).isEmpty();
        assertThat(EciProfile.parse(Map.of("selectors", "")).selectors()).isEmpty();
    }

    @Test
    void invalidSelectorsAreRejectedNamingTheField() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{", "selectors: not a JSON list");
        cases.put("{}", "selectors: must be a JSON list of selectors");
        cases.put("[{\"objectLabels\": {}}]", "selectors[0].name: required");
        cases.put("[{\"name\": \"a\"}]", "selectors[0]: needs namespaceLabels or objectLabels");
        cases.put("[{\"name\": \"a\", \"objectLabels\": {}}, {\"name\": \"a\", \"objectLabels\": {}}]",
                "selectors[1].name: duplicate selector name \"a\"");
        cases.put("[{\"name\": \"a\", \"objectLabels\": {\"matchExpressions\": []}}]",
                "selectors[0].objectLabels.matchExpressions: not supported");
        cases.put("[{\"name\": \"a\", \"objectLabels\": {\"matchLabels\": {\"x\": 1}}}]",
                "selectors[0].objectLabels.matchLabels.x: must be a string");
        cases.put("[{\"name\": \"a\", \"objectLabels\": {}, \"effect\": {\"labels\": {\"bad key!\": \"v\"}}}]",
                "selectors[0].effect.labels: \"bad key!\" is not a valid key");
        cases.put("[{\"name\": \"a\", \"objectLabels\": {}, \"effect\": {\"labels\": {\"k\": \"-v\"}}}]",
                "selectors[0].effect.labels.k: \"-v\" is not a valid label value");
        cases.forEach((selectors, message) ->
                assertThatThrownBy(() -> EciProfile.parse(Map.of("selectors", selectors)))
                        .as(selectors).hasMessageStartingWith(message));
    }
}
