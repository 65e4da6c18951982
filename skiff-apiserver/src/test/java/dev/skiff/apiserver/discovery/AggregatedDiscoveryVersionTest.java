package dev.skiff.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AggregatedDiscoveryVersionTest {

    private static final String V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final String V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    @Test
    void kubectlGetsV2() {
        assertThat(AggregatedDiscoveryVersion.negotiate(V2 + "," + V2BETA1 + ",application/json"))
                .contains(AggregatedDiscoveryVersion.V2);
    }

    @Test
    void olderClientsGetTheVersionTheyAskFor() {
        assertThat(AggregatedDiscoveryVersion.negotiate(V2BETA1 + ",application/json"))
                .contains(AggregatedDiscoveryVersion.V2BETA1);
        assertThat(AggregatedDiscoveryVersion.negotiate(V2BETA1 + ";q=0.9, " + V2 + ";q=0.5"))
                .contains(AggregatedDiscoveryVersion.V2BETA1);
        assertThat(AggregatedDiscoveryVersion.negotiate("application/json; g=apidiscovery.k8s.io; v=v2; "
                + "as=APIGroupDiscoveryList")).contains(AggregatedDiscoveryVersion.V2);
    }

    @Test
    void everyoneElseGetsLegacyJson() {
        assertThat(AggregatedDiscoveryVersion.negotiate(null)).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate("")).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate("application/json, */*")).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate("*/*")).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate("application/json," + V2)).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate(V2 + ";q=0,application/json")).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate(
                "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")).isEmpty();
        assertThat(AggregatedDiscoveryVersion.negotiate(
                "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json")).isEmpty();
    }

    @Test
    void contentTypeNamesTheVersion() {
        assertThat(AggregatedDiscoveryVersion.V2.contentType()).isEqualTo(V2);
        assertThat(AggregatedDiscoveryVersion.V2BETA1.contentType()).isEqualTo(V2BETA1);
        assertThat(AggregatedDiscoveryVersion.V2BETA1.apiVersion()).isEqualTo("apidiscovery.k8s.io/v2beta1");
    }
}
