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

/** The cells kube-apiserver v1.32's printers compute for the kinds of {@link MoreKindColumns}. */
class MoreKindColumnsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TableColumns columns = new TableColumns(
            Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC));

    /** Column name to cell, in column order, for an object given as JSON. */
    private Map<String, Object> row(String group, String plural, String json) throws Exception {
        ObjectNode object = (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        object.withObjectProperty("metadata").put("creationTimestamp", "2026-01-01T00:00:00Z");
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : columns.forResource(group, plural)) {
            row.put(column.name() + (column.priority() > 0 ? " (wide)" : ""), column.cell().apply(object));
        }
        return row;
    }

    @Test
    void disruptionBudgetsIngressesAndNetworkPolicies() throws Exception {
        assertThat(row("policy", "poddisruptionbudgets", "{'metadata': {'name': 'db'},"
                + " 'spec': {'minAvailable': '50%'}, 'status': {'disruptionsAllowed': 1}}"))
                .containsExactlyEntriesOf(ordered("Name", "db", "Min Available", "50%", "Max Unavailable", "N/A",
                        "Allowed Disruptions", 1L, "Age", "10m"));
        assertThat(row("networking.k8s.io", "ingresses", "{'metadata': {'name': 'web'}, 'spec': {"
                + "'rules': [{'host': 'a.example'}, {}, {'host': 'b.example'}, {'host': 'c.example'},"
                + " {'host': 'd.example'}], 'tls': [{'hosts': ['a.example']}]},"
                + " 'status': {'loadBalancer': {'ingress': [{'ip': '10.0.0.1'}, {'hostname': 'lb.example'}]}}}"))
                .containsEntry("Class", "<none>").containsEntry("Hosts", "a.example,b.example,c.example + 2 more...")
                .containsEntry("Address", "10.0.0.1,lb.e...").containsEntry("Ports", "80, 443");
        assertThat(row("networking.k8s.io", "ingresses", "{'metadata': {'name': 'web'},"
                + " 'spec': {'ingressClassName': 'nginx', 'rules': [{}]}}"))
                .containsEntry("Class", "nginx").containsEntry("Hosts", "*").containsEntry("Ports", "80");
        assertThat(row("networking.k8s.io", "networkpolicies", "{'metadata': {'name': 'deny'}, 'spec': {"
                + "'podSelector': {'matchLabels': {'tier': 'db', 'app': 'x'}, 'matchExpressions': [{'key': 'env',"
                + " 'operator': 'In', 'values': ['prod', 'dev']}, {'key': 'canary', 'operator': 'DoesNotExist'}]}}}"))
                .containsEntry("Pod-Selector", "app=x,!canary,env in (dev,prod),tier=db");
        assertThat(row("networking.k8s.io", "networkpolicies", "{'metadata': {'name': 'all'},"
                + " 'spec': {'podSelector': {}}}")).containsEntry("Pod-Selector", "<none>");
    }

    @Test
    void autoscalersShowEachMetricsCurrentAndTarget() throws Exception {
        assertThat(row("autoscaling", "horizontalpodautoscalers", "{'apiVersion': 'autoscaling/v2',"
                + " 'metadata': {'name': 'web'}, 'spec': {'scaleTargetRef': {'kind': 'Deployment', 'name': 'web'},"
                + " 'maxReplicas': 5, 'metrics': [{'type': 'Resource', 'resource': {'name': 'cpu', 'target':"
                + " {'type': 'Utilization', 'averageUtilization': 80}}}, {'type': 'Resource', 'resource': {'name':"
                + " 'memory', 'target': {'type': 'AverageValue', 'averageValue': '100Mi'}}}, {'type': 'Pods',"
                + " 'pods': {'metric': {'name': 'qps'}, 'target': {'averageValue': '10'}}}]},"
                + " 'status': {'currentReplicas': 2, 'currentMetrics': [{'type': 'Resource', 'resource':"
                + " {'name': 'cpu', 'current': {'averageUtilization': 12}}}]}}"))
                .containsEntry("Reference", "Deployment/web")
                .containsEntry("Targets", "cpu: 12%/80%, memory: <unknown>/100Mi + 1 more...")
                .containsEntry("MinPods", "<unset>").containsEntry("MaxPods", 5L).containsEntry("Replicas", 2L);
        assertThat(row("autoscaling", "horizontalpodautoscalers", "{'apiVersion': 'autoscaling/v1',"
                + " 'metadata': {'name': 'web'}, 'spec': {'scaleTargetRef': {'kind': 'Deployment', 'name': 'web'},"
                + " 'minReplicas': 1, 'maxReplicas': 3}}"))
                .containsEntry("Targets", "cpu: <unknown>/80%").containsEntry("MinPods", "1");
    }

    @Test
    void bindingsStorageSchedulingAndRevisions() throws Exception {
        assertThat(row("rbac.authorization.k8s.io", "rolebindings", "{'metadata': {'name': 'read'},"
                + " 'roleRef': {'kind': 'Role', 'name': 'reader'}, 'subjects': [{'kind': 'User', 'name': 'jane'},"
                + " {'kind': 'ServiceAccount', 'name': 'app', 'namespace': 'shop'}, {'kind': 'Group', 'name': 'ops'},"
                + " {'kind': 'User', 'name': 'joe'}]}"))
                .containsEntry("Role", "Role/reader").containsEntry("Users (wide)", "jane, joe")
                .containsEntry("Groups (wide)", "ops").containsEntry("ServiceAccounts (wide)", "shop:app");
        assertThat(row("storage.k8s.io", "storageclasses", "{'metadata': {'name': 'fast', 'annotations':"
                + " {'storageclass.kubernetes.io/is-default-class': 'true'}}, 'provisioner': 'skiff.dev/local'}"))
                .containsExactlyEntriesOf(ordered("Name", "fast (default)", "Provisioner", "skiff.dev/local",
                        "ReclaimPolicy", "Delete", "VolumeBindingMode", "Immediate", "AllowVolumeExpansion", false,
                        "Age", "10m"));
        assertThat(row("scheduling.k8s.io", "priorityclasses", "{'metadata': {'name': 'high'}, 'value': 1000,"
                + " 'preemptionPolicy': 'Never'}")).containsExactlyEntriesOf(ordered("Name", "high", "Value", 1000L,
                        "Global-Default", false, "Age", "10m", "PreemptionPolicy", "Never"));
        assertThat(row("apps", "controllerrevisions", "{'metadata': {'name': 'web-5d8f', 'ownerReferences':"
                + " [{'apiVersion': 'apps/v1', 'kind': 'StatefulSet', 'name': 'web', 'controller': true}]},"
                + " 'revision': 2}")).containsEntry("Controller", "statefulset.apps/web").containsEntry("Revision", 2L);
        assertThat(row("", "persistentvolumes", "{'metadata': {'name': 'pv1'}, 'spec': {'capacity': {'storage':"
                + " '1Gi'}, 'accessModes': ['ReadWriteMany', 'ReadWriteOnce'], 'persistentVolumeReclaimPolicy':"
                + " 'Retain', 'claimRef': {'namespace': 'shop', 'name': 'data'}, 'storageClassName': 'fast'},"
                + " 'status': {'phase': 'Bound'}}"))
                .containsEntry("Access Modes", "RWO,RWX").containsEntry("Claim", "shop/data")
                .containsEntry("Status", "Bound").containsEntry("VolumeAttributesClass", "<unset>")
                .containsEntry("StorageClass", "fast").containsEntry("VolumeMode (wide)", "<unset>");
        assertThat(row("", "persistentvolumeclaims", "{'metadata': {'name': 'data'}, 'spec': {'accessModes':"
                + " ['ReadWriteOnce'], 'resources': {'requests': {'storage': '1Gi'}}, 'volumeMode': 'Filesystem'},"
                + " 'status': {'phase': 'Pending'}}")).containsExactlyEntriesOf(ordered("Name", "data",
                        "Status", "Pending", "Volume", "", "Capacity", "", "Access Modes", "", "StorageClass", "",
                        "VolumeAttributesClass", "<unset>", "Age", "10m", "VolumeMode (wide)", "Filesystem"));
        assertThat(row("", "persistentvolumeclaims", "{'metadata': {'name': 'data', 'deletionTimestamp':"
                + " '2026-01-01T00:09:00Z', 'annotations': {'volume.beta.kubernetes.io/storage-class': 'old'}},"
                + " 'spec': {'volumeName': 'pv1', 'storageClassName': 'fast'}, 'status': {'phase': 'Bound',"
                + " 'capacity': {'storage': '2Gi'}, 'accessModes': ['ReadWriteOncePod']}}"))
                .containsEntry("Status", "Terminating").containsEntry("Capacity", "2Gi")
                .containsEntry("Access Modes", "RWOP").containsEntry("StorageClass", "old");
        assertThat(row("", "resourcequotas", "{'metadata': {'name': 'q'}, 'status': {'hard': {'pods': '10',"
                + " 'limits.cpu': '4', 'requests.cpu': '2'}, 'used': {'pods': '3', 'requests.cpu': '500m'}}}"))
                .containsEntry("Request", "pods: 3/10, requests.cpu: 500m/2").containsEntry("Limit", "limits.cpu: 0/4");
        assertThat(columns.forResource("apiextensions.k8s.io", "customresourcedefinitions"))
                .extracting(Column::name).containsExactly("Name", "Created At");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
