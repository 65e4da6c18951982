package dev.skiff.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class VirtualNodeTolerationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode pod(String spec) throws Exception {
        return (ObjectNode) JSON.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":" + spec + "}");
    }

    @Test
    void aPodWithoutTolerationsGetsTheVirtualNodeOne() throws Exception {
        ObjectNode pod = pod("{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}");
        VirtualNodeToleration.admit(pod);
        assertThat(pod.path("spec").path("tolerations").toString()).isEqualTo(
                "[{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
    }

    @Test
    void otherTolerationsAreKeptAndTheVirtualNodeOneAdded() throws Exception {
        ObjectNode pod = pod("{\"tolerations\":[{\"key\":\"gpu\",\"operator\":\"Exists\"}]}");
        VirtualNodeToleration.admit(pod);
        assertThat(pod.path("spec").path("tolerations")).hasSize(2);
        assertThat(pod.path("spec").path("tolerations").get(0).path("key").asText()).isEqualTo("gpu");
    }

    @Test
    void aPodThatAlreadyToleratesTheTaintIsLeftAlone() throws Exception {
        for (String tolerations : new String[] {
                "[{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Equal\",\"value\":\"skiff\"}]",
                "[{\"operator\":\"Exists\"}]"}) {
            ObjectNode pod = pod("{\"tolerations\":" + tolerations + "}");
            VirtualNodeToleration.admit(pod);
            assertThat(pod.path("spec").path("tolerations").toString()).isEqualTo(tolerations);
        }
    }
}
