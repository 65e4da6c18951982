package dev.skiff.apiserver.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod row's STATUS and RESTARTS as kube-apiserver v1.32's printPod computes them. */
class PodColumnsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TableColumns columns = new TableColumns(
            Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC));

    private Map<String, Object> row(String json) throws Exception {
        ObjectNode object = (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        object.withObjectProperty("metadata").put("creationTimestamp", "2026-01-01T00:00:00Z");
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : columns.forResource("", "pods")) {
            row.put(column.name(), column.cell().apply(object));
        }
        return row;
    }

    @Test
    void aCrashingInitContainerCountsItsRestartsWhileThePodInitializes() throws Exception {
        assertThat(row("{'metadata': {'name': 'p'}, 'spec': {'initContainers': [{'name': 'gate'}],"
                + " 'containers': [{'name': 'main'}]}, 'status': {'phase': 'Pending', 'initContainerStatuses': ["
                + "{'name': 'gate', 'restartCount': 2, 'state': {'waiting': {'reason': 'CrashLoopBackOff'}}}],"
                + " 'containerStatuses': [{'name': 'main', 'restartCount': 0,"
                + " 'state': {'waiting': {'reason': 'PodInitializing'}}}]}}"))
                .containsEntry("Status", "Init:CrashLoopBackOff").containsEntry("Restarts", 2L);
    }

    @Test
    void afterInitializationOnlyAppAndSidecarRestartsCount() throws Exception {
        assertThat(row("{'metadata': {'name': 'p'}, 'spec': {'initContainers': [{'name': 'gate'},"
                + " {'name': 'proxy', 'restartPolicy': 'Always'}], 'containers': [{'name': 'main'}]},"
                + " 'status': {'phase': 'Running', 'initContainerStatuses': ["
                + "{'name': 'gate', 'restartCount': 4, 'state': {'terminated': {'exitCode': 0}}},"
                + "{'name': 'proxy', 'restartCount': 1, 'state': {'running': {}}}],"
                + " 'containerStatuses': [{'name': 'main', 'restartCount': 2, 'ready': true,"
                + " 'state': {'running': {}}}]}}"))
                .containsEntry("Restarts", 3L);
    }
}
