package dev.skiff.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultTolerationSecondsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which default tolerations a pod gains, by the tolerations it already has (upstream's table). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "[]| not-ready,unreachable",
            "[{'key':'gpu','operator':'Exists'}]| not-ready,unreachable",
            "[{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':5}]"
                    + "| unreachable",
            "[{'key':'node.kubernetes.io/unreachable','operator':'Exists'}]| not-ready",
            "[{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoSchedule'}]"
                    + "| not-ready,unreachable",
            "[{'operator':'Exists','effect':'NoExecute'}]| ''",
            "[{'operator':'Exists'}]| ''"})
    void addsTheMissingNoExecuteTolerationsWithFiveMinutes(String tolerations, String added) throws Exception {
        ObjectNode pod = (ObjectNode) JSON.readTree(("{'spec':{'tolerations':" + tolerations + "}}")
                .replace('\'', '"'));
        int before = pod.path("spec").path("tolerations").size();

        DefaultTolerationSeconds.admit(pod);

        var all = pod.path("spec").path("tolerations");
        StringBuilder gained = new StringBuilder();
        for (int i = before; i < all.size(); i++) {
            assertThat(all.get(i).path("operator").asText()).isEqualTo("Exists");
            assertThat(all.get(i).path("effect").asText()).isEqualTo("NoExecute");
            assertThat(all.get(i).path("tolerationSeconds").asLong()).isEqualTo(300);
            gained.append(gained.isEmpty() ? "" : ",")
                    .append(all.get(i).path("key").asText().substring("node.kubernetes.io/".length()));
        }
        assertThat(gained.toString()).isEqualTo(added);
    }
}
