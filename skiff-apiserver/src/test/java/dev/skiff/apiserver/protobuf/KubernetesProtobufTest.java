package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder on bodies built by hand: envelope errors, special types, presence rules, unknown fields. */
class KubernetesProtobufTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProtoWriter meta(String name) {
        return new ProtoWriter().string(1, name);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void envelopeGivesKindAndApiVersionFirst() throws Exception {
        byte[] body = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter()
                .message(1, meta("x"))
                .message(2, new ProtoWriter().string(1, "k").string(2, "v")));

        ObjectNode object = KubernetesProtobuf.decode(body);

        assertThat(object).isEqualTo(json("{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'x'},"
                + "'data':{'k':'v'}}"));
        assertThat(object.fieldNames().next()).isEqualTo("kind");
    }

    @Test
    void badMagicTruncationAndUnknownKindsAreMalformed() {
        assertThatThrownBy(() -> KubernetesProtobuf.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> KubernetesProtobuf.decode(new byte[0]))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("empty");
        byte[] good = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter().message(1, meta("x")));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 2);
        assertThatThrownBy(() -> KubernetesProtobuf.decode(truncated))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> KubernetesProtobuf.decode(ProtoWriter.envelope("example.com/v1", "Widget",
                new ProtoWriter())))
                .isInstanceOf(MalformedProtobufException.class)
                .hasMessage("no protobuf schema for kind \"Widget\" in version \"example.com/v1\"");
        assertThatThrownBy(() -> KubernetesProtobuf.decode(new byte[] {0x6b, 0x38, 0x73, 0x00}))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("no kind");
    }

    @Test
    void wrongWireTypeForAKnownFieldIsMalformed() {
        byte[] body = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter().varint(1, 7));
        assertThatThrownBy(() -> KubernetesProtobuf.decode(body))
                .isInstanceOf(MalformedProtobufException.class)
                .hasMessageContaining("field 1 (metadata) of core.ConfigMap has wire type 0");
    }

    @Test
    void unknownFieldsAreSkippedAndReported() throws Exception {
        byte[] body = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter()
                .message(1, meta("x").string(99, "future"))
                .varint(50, 1)
                .string(2 + 0, "") // an empty data entry: key "" value ""
                .fixed32(51, 3));

        KubernetesProtobuf.Decoded decoded = KubernetesProtobuf.decodeReportingUnknownFields(body);

        assertThat(decoded.unknownFields()).containsExactly("core.ConfigMap.50", "core.ConfigMap.51",
                "meta.ObjectMeta.99");
        assertThat(decoded.object()).isEqualTo(json("{'kind':'ConfigMap','apiVersion':'v1','metadata':{'name':'x'},"
                + "'data':{'':''}}"));
    }

    @Test
    void zeroValuesFollowGoJson() throws Exception {
        // Deployment: replicas is *int32 (written even when 0), paused is a plain bool (omitempty),
        // minReadySeconds plain int32; strategy is a struct (always written, even empty)
        byte[] body = ProtoWriter.envelope("apps/v1", "Deployment", new ProtoWriter()
                .message(1, meta("d").message(8, new ProtoWriter()))
                .message(2, new ProtoWriter()
                        .varint(1, 0)
                        .varint(5, 0)
                        .varint(7, 0)
                        .message(4, new ProtoWriter()))
                .message(3, new ProtoWriter()));

        assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("{'kind':'Deployment','apiVersion':'apps/v1',"
                + "'metadata':{'name':'d','creationTimestamp':null},'spec':{'replicas':0,'strategy':{}},"
                + "'status':{}}"));
    }

    @Test
    void timesQuantitiesAndIntOrStrings() throws Exception {
        ProtoWriter time = new ProtoWriter().varint(1, 1_700_000_000L).varint(2, 123_456_789);
        byte[] body = ProtoWriter.envelope("policy/v1", "PodDisruptionBudget", new ProtoWriter()
                .message(1, meta("p").message(9, time))
                .message(2, new ProtoWriter()
                        .message(1, new ProtoWriter().varint(1, 1).string(3, "50%"))
                        .message(3, new ProtoWriter().varint(1, 0).varint(2, 2)))
                .message(3, new ProtoWriter()
                        .message(2, new ProtoWriter().string(1, "pod-a").message(2, time))
                        .varint(3, 0).varint(4, 1).varint(5, 1).varint(6, 2)));

        assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("{'kind':'PodDisruptionBudget',"
                + "'apiVersion':'policy/v1','metadata':{'name':'p','deletionTimestamp':'2023-11-14T22:13:20Z'},"
                + "'spec':{'minAvailable':'50%','maxUnavailable':2},"
                + "'status':{'disruptedPods':{'pod-a':'2023-11-14T22:13:20Z'},'disruptionsAllowed':0,"
                + "'currentHealthy':1,'desiredHealthy':1,'expectedPods':2}}"));
    }

    @Test
    void microTimesKeepMicroseconds() throws Exception {
        byte[] body = ProtoWriter.envelope("coordination.k8s.io/v1", "Lease", new ProtoWriter()
                .message(1, meta("l"))
                .message(2, new ProtoWriter()
                        .string(1, "node-1")
                        .varint(2, 40)
                        .message(4, new ProtoWriter().varint(1, 1_700_000_000L).varint(2, 5_000))
                        .varint(5, 0)));

        assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("{'holderIdentity':'node-1',"
                + "'leaseDurationSeconds':40,'renewTime':'2023-11-14T22:13:20.000005Z','leaseTransitions':0}"));
    }

    @Test
    void managedFieldsCarryTheirJsonAndSecretsTheirBytesInBase64() throws Exception {
        ProtoWriter entry = new ProtoWriter().string(1, "kubectl").string(2, "Update").string(3, "v1")
                .string(6, "FieldsV1")
                .message(7, new ProtoWriter().string(1, "{\"f:data\":{\".\":{},\"f:k\":{}}}"));
        byte[] body = ProtoWriter.envelope("v1", "Secret", new ProtoWriter()
                .message(1, meta("s").message(17, entry))
                .message(2, new ProtoWriter().string(1, "k").bytes(2, new byte[] {0, 1, (byte) 0xFF}))
                .string(3, "Opaque"));

        assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("{'kind':'Secret','apiVersion':'v1',"
                + "'metadata':{'name':'s','managedFields':[{'manager':'kubectl','operation':'Update',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{'f:data':{'.':{},'f:k':{}}}}]},"
                + "'data':{'k':'AAH/'},'type':'Opaque'}"));
    }

    @Test
    void rawExtensionsHoldJsonOrANestedEnvelope() throws Exception {
        byte[] nested = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter().message(1, meta("inner")));
        byte[] asJson = ProtoWriter.envelope("apps/v1", "ControllerRevision", new ProtoWriter()
                .message(1, meta("r1"))
                .message(2, new ProtoWriter().string(1, "{\"spec\":{\"replicas\":3}}"))
                .varint(3, 7));
        byte[] asProto = ProtoWriter.envelope("apps/v1", "ControllerRevision", new ProtoWriter()
                .message(1, meta("r2"))
                .message(2, new ProtoWriter().bytes(1, nested))
                .varint(3, 8));

        assertThat(KubernetesProtobuf.decode(asJson).path("data")).isEqualTo(json("{'spec':{'replicas':3}}"));
        assertThat(KubernetesProtobuf.decode(asProto).path("data")).isEqualTo(json("{'kind':'ConfigMap',"
                + "'apiVersion':'v1','metadata':{'name':'inner'}}"));
        byte[] garbage = ProtoWriter.envelope("apps/v1", "ControllerRevision", new ProtoWriter()
                .message(2, new ProtoWriter().string(1, "not json")).varint(3, 1));
        assertThatThrownBy(() -> KubernetesProtobuf.decode(garbage))
                .isInstanceOf(MalformedProtobufException.class).hasMessageContaining("does not hold JSON");
    }

    @Test
    void packedAndUnpackedRepeatedScalarsBothDecode() throws Exception {
        ProtoWriter packed = new ProtoWriter();
        packed.rawVarint(1);
        packed.rawVarint(300);
        ProtoWriter securityContext = new ProtoWriter().bytes(4, packed.toByteArray()).varint(4, 7);
        byte[] body = ProtoWriter.envelope("v1", "Pod", new ProtoWriter()
                .message(1, meta("p"))
                .message(2, new ProtoWriter().message(14, securityContext)));

        assertThat(KubernetesProtobuf.decode(body).at("/spec/securityContext"))
                .isEqualTo(json("{'supplementalGroups':[1,300,7]}"));
    }

    @Test
    void inlinedStructsMergeIntoTheirParent() throws Exception {
        ProtoWriter probe = new ProtoWriter()
                .message(1, new ProtoWriter().message(1, new ProtoWriter().string(1, "true")))
                .varint(4, 5);
        ProtoWriter container = new ProtoWriter().string(1, "c").message(10, probe);
        ProtoWriter volume = new ProtoWriter().string(1, "v")
                .message(2, new ProtoWriter().message(19, new ProtoWriter().message(1, meta("cm"))));
        byte[] body = ProtoWriter.envelope("v1", "Pod", new ProtoWriter()
                .message(1, meta("p"))
                .message(2, new ProtoWriter().message(1, volume).message(2, container)));

        assertThat(KubernetesProtobuf.decode(body).path("spec")).isEqualTo(json("{'volumes':[{'name':'v',"
                + "'configMap':{'name':'cm'}}],'containers':[{'name':'c','livenessProbe':{'exec':{'command':['true']},"
                + "'periodSeconds':5}}]}"));
    }

    @Test
    void requiredListsThatAreAbsentAreNullAsGoWritesThem() throws Exception {
        byte[] body = ProtoWriter.envelope("rbac.authorization.k8s.io/v1", "ClusterRole", new ProtoWriter()
                .message(1, meta("agg"))
                .message(3, new ProtoWriter().message(1, new ProtoWriter())));

        assertThat(KubernetesProtobuf.decode(body)).isEqualTo(json("{'kind':'ClusterRole',"
                + "'apiVersion':'rbac.authorization.k8s.io/v1','metadata':{'name':'agg'},'rules':null,"
                + "'aggregationRule':{'clusterRoleSelectors':[{}]}}"));
    }

    @Test
    void deleteOptionsDecodeUnderAnyGroupVersion() throws Exception {
        ProtoWriter options = new ProtoWriter().varint(1, 0).string(4, "Foreground").string(5, "All")
                .message(2, new ProtoWriter().string(1, "uid-1"));

        assertThat(KubernetesProtobuf.decode(ProtoWriter.envelope("apps/v1", "DeleteOptions", options)))
                .isEqualTo(json("{'kind':'DeleteOptions','apiVersion':'apps/v1','gracePeriodSeconds':0,"
                        + "'preconditions':{'uid':'uid-1'},'propagationPolicy':'Foreground','dryRun':['All']}"));
        assertThat(KubernetesProtobuf.supports("meta.k8s.io/v1", "DeleteOptions")).isTrue();
    }

    @Test
    void evictionsAndScalesAreKnown() throws Exception {
        byte[] eviction = ProtoWriter.envelope("policy/v1", "Eviction", new ProtoWriter()
                .message(1, meta("pod-1").string(3, "default"))
                .message(2, new ProtoWriter().varint(1, 30)));
        assertThat(KubernetesProtobuf.decode(eviction)).isEqualTo(json("{'kind':'Eviction','apiVersion':'policy/v1',"
                + "'metadata':{'name':'pod-1','namespace':'default'},'deleteOptions':{'gracePeriodSeconds':30}}"));

        byte[] scale = ProtoWriter.envelope("autoscaling/v1", "Scale", new ProtoWriter()
                .message(1, meta("web"))
                .message(2, new ProtoWriter().varint(1, 3))
                .message(3, new ProtoWriter().varint(1, 0)));
        assertThat(KubernetesProtobuf.decode(scale)).isEqualTo(json("{'kind':'Scale','apiVersion':'autoscaling/v1',"
                + "'metadata':{'name':'web'},'spec':{'replicas':3},'status':{'replicas':0}}"));
    }

    @Test
    void int64sBeyondIntRangeStayExact() throws Exception {
        byte[] body = ProtoWriter.envelope("v1", "ConfigMap", new ProtoWriter()
                .message(1, meta("x").varint(7, 9_007_199_254_740_993L)));
        assertThat(KubernetesProtobuf.decode(body).at("/metadata/generation").longValue())
                .isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void goDurationStrings() {
        assertThat(SpecialTypes.goDuration(0)).isEqualTo("0s");
        assertThat(SpecialTypes.goDuration(1_500)).isEqualTo("1.5µs");
        assertThat(SpecialTypes.goDuration(100_000_000)).isEqualTo("100ms");
        assertThat(SpecialTypes.goDuration(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(SpecialTypes.goDuration(90_500_000_000L)).isEqualTo("1m30.5s");
        assertThat(SpecialTypes.goDuration(-2_000_000_000L)).isEqualTo("-2s");
        assertThat(SpecialTypes.goDuration(999)).isEqualTo("999ns");
    }

    @Test
    void everyKindTheBriefListsIsSupported() {
        List<String> kinds = List.of(
                "v1/ConfigMap", "v1/Secret", "v1/Namespace", "v1/ServiceAccount", "v1/Service", "v1/Pod",
                "v1/LimitRange", "v1/ResourceQuota", "v1/Event", "v1/Endpoints", "v1/PersistentVolumeClaim", "v1/Node",
                "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/ReplicaSet",
                "apps/v1/ControllerRevision", "batch/v1/Job", "batch/v1/CronJob", "autoscaling/v1/Scale",
                "autoscaling/v1/HorizontalPodAutoscaler", "autoscaling/v2/HorizontalPodAutoscaler",
                "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
                "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
                "policy/v1/PodDisruptionBudget", "policy/v1/Eviction", "networking.k8s.io/v1/Ingress",
                "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy",
                "scheduling.k8s.io/v1/PriorityClass", "coordination.k8s.io/v1/Lease",
                "authorization.k8s.io/v1/SelfSubjectAccessReview", "authorization.k8s.io/v1/SubjectAccessReview",
                "authorization.k8s.io/v1/LocalSubjectAccessReview", "authorization.k8s.io/v1/SelfSubjectRulesReview",
                "authentication.k8s.io/v1/SelfSubjectReview", "authentication.k8s.io/v1/TokenRequest",
                "authentication.k8s.io/v1/TokenReview", "storage.k8s.io/v1/StorageClass", "node.k8s.io/v1/RuntimeClass",
                "discovery.k8s.io/v1/EndpointSlice", "events.k8s.io/v1/Event");
        for (String kind : kinds) {
            int slash = kind.lastIndexOf('/');
            assertThat(KubernetesProtobuf.supports(kind.substring(0, slash), kind.substring(slash + 1)))
                    .as(kind).isTrue();
        }
    }

    @Test
    void mediaTypeIsRecognisedWithParameters() {
        assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
        assertThat(KubernetesProtobuf.isProtobuf("Application/VND.kubernetes.protobuf; charset=x")).isTrue();
        assertThat(KubernetesProtobuf.isProtobuf("application/json")).isFalse();
        assertThat(KubernetesProtobuf.isProtobuf(null)).isFalse();
    }
}
