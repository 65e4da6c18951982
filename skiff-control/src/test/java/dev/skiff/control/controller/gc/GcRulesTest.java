package dev.skiff.control.controller.gc;

import static dev.skiff.control.controller.gc.OwnerState.DANGLING;
import static dev.skiff.control.controller.gc.OwnerState.SOLID;
import static dev.skiff.control.controller.gc.OwnerState.UNRESOLVABLE;
import static dev.skiff.control.controller.gc.OwnerState.WAITING_FOR_DEPENDENTS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The collector's decisions over snapshots of an object, its owners' states and its dependents. */
class GcRulesTest {

    private static final ResourceKind DEPLOYMENTS = new ResourceKind("apps", "v1", "deployments", "Deployment", true);
    private static final ResourceKind REPLICA_SETS = new ResourceKind("apps", "v1", "replicasets", "ReplicaSet", true);
    private static final ResourceKind PODS = new ResourceKind("", "v1", "pods", "Pod", true);
    private static final ResourceKind NODES = new ResourceKind("", "v1", "nodes", "Node", false);
    private static final ResourceKind CLUSTER_ROLES =
            new ResourceKind("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false);

    /** A snapshot builder: an object, its owner references, finalizers and deletion mark. */
    private static final class N {
        private final ResourceKind kind;
        private final String namespace;
        private final String name;
        private final List<OwnerRef> owners = new ArrayList<>();
        private final List<String> finalizers = new ArrayList<>();
        private boolean deleting;

        N(ResourceKind kind, String namespace, String name) {
            this.kind = kind;
            this.namespace = namespace;
            this.name = name;
        }

        N ownedBy(Node owner, boolean block) {
            owners.add(new OwnerRef(owner.id().resource().apiVersion(), owner.id().resource().kind(),
                    owner.id().name(), owner.uid(), true, block));
            return this;
        }

        N finalizer(String f) {
            finalizers.add(f);
            return this;
        }

        N deleting() {
            deleting = true;
            return this;
        }

        Node build() {
            return new Node(new ObjectId(kind, namespace, name, "uid-" + namespace + "-" + name), owners, finalizers,
                    deleting);
        }
    }

    private static N n(ResourceKind kind, String namespace, String name) {
        return new N(kind, namespace, name);
    }

    private static final Node DEPLOYMENT = n(DEPLOYMENTS, "ns", "web").build();
    private static final Node OTHER = n(DEPLOYMENTS, "ns", "api").build();
    private static final Node RS = n(REPLICA_SETS, "ns", "web-1").ownedBy(DEPLOYMENT, true).build();
    private static final Node POD = n(PODS, "ns", "web-1-a").ownedBy(RS, true).build();
    private static final Node WAITING_POD = n(PODS, "ns", "web-1-b").ownedBy(RS, true)
            .finalizer(Node.FOREGROUND).deleting().build();

    private static Classified owner(Node owner, OwnerState state) {
        return new Classified(new OwnerRef(owner.id().resource().apiVersion(), owner.id().resource().kind(),
                owner.id().name(), owner.uid(), false, true), state);
    }

    static Stream<Arguments> ownerCases() {
        Node plain = n(REPLICA_SETS, "ns", "rs").build();
        Node withOrphan = n(REPLICA_SETS, "ns", "rs").finalizer(Node.ORPHAN).build();
        Node withForeground = n(REPLICA_SETS, "ns", "rs").finalizer(Node.FOREGROUND).build();
        return Stream.of(
                Arguments.of("no owners", plain, List.of(), List.of(), new Decision.Keep()),
                Arguments.of("a live owner", plain, List.of(owner(DEPLOYMENT, SOLID)), List.of(),
                        new Decision.Keep()),
                Arguments.of("one live, one gone: only the dangling reference goes", plain,
                        List.of(owner(DEPLOYMENT, SOLID), owner(OTHER, DANGLING)), List.of(),
                        new Decision.RemoveOwnerReferences(Set.of(OTHER.uid()))),
                Arguments.of("one live, one waiting: the waiting owner's reference goes", plain,
                        List.of(owner(DEPLOYMENT, WAITING_FOR_DEPENDENTS), owner(OTHER, SOLID)), List.of(),
                        new Decision.RemoveOwnerReferences(Set.of(DEPLOYMENT.uid()))),
                Arguments.of("all owners gone: background", plain,
                        List.of(owner(DEPLOYMENT, DANGLING), owner(OTHER, DANGLING)), List.of(POD),
                        new Decision.Delete("Background", false)),
                Arguments.of("all gone, its own orphan finalizer is honoured", withOrphan,
                        List.of(owner(DEPLOYMENT, DANGLING)), List.of(POD), new Decision.Delete("Orphan", false)),
                Arguments.of("all gone, its own foreground finalizer is honoured", withForeground,
                        List.of(owner(DEPLOYMENT, DANGLING)), List.of(), new Decision.Delete("Foreground", false)),
                Arguments.of("owner waits, item has dependents: foreground down the chain", plain,
                        List.of(owner(DEPLOYMENT, WAITING_FOR_DEPENDENTS)), List.of(POD),
                        new Decision.Delete("Foreground", false)),
                Arguments.of("owner waits, a dependent waits too: unblock first (cycle)", plain,
                        List.of(owner(DEPLOYMENT, WAITING_FOR_DEPENDENTS)), List.of(POD, WAITING_POD),
                        new Decision.Delete("Foreground", true)),
                Arguments.of("owner waits, no dependents: background", plain,
                        List.of(owner(DEPLOYMENT, WAITING_FOR_DEPENDENTS)), List.of(),
                        new Decision.Delete("Background", false)),
                Arguments.of("an unresolvable reference leaves the object alone", plain,
                        List.of(owner(OTHER, DANGLING), owner(DEPLOYMENT, UNRESOLVABLE)), List.of(),
                        new Decision.InvalidOwner(owner(DEPLOYMENT, UNRESOLVABLE).ref())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownerCases")
    void forOwners(String name, Node item, List<Classified> owners, List<Node> dependents, Decision expected) {
        assertThat(GcRules.forOwners(item, owners, dependents)).isEqualTo(expected);
    }

    static Stream<Arguments> foregroundCases() {
        Node rs = n(REPLICA_SETS, "ns", "web-1").ownedBy(DEPLOYMENT, true).finalizer(Node.FOREGROUND).deleting()
                .build();
        Node blocking = n(PODS, "ns", "p1").ownedBy(rs, true).build();
        Node nonBlocking = n(PODS, "ns", "p2").ownedBy(rs, false).build();
        Node elsewhere = n(PODS, "other", "p3").ownedBy(rs, true).build();
        Node waiting = n(PODS, "ns", "p4").ownedBy(rs, true).finalizer(Node.FOREGROUND).deleting().build();
        Node terminating = n(PODS, "ns", "p5").ownedBy(rs, true).deleting().build();
        Node node = n(NODES, "", "n1").finalizer(Node.FOREGROUND).deleting().build();
        Node onNode = n(PODS, "ns", "p6").ownedBy(node, true).build();
        return Stream.of(
                Arguments.of("nothing left: the finalizer goes", rs, List.of(),
                        new Decision.RemoveFinalizer(Node.FOREGROUND)),
                Arguments.of("a dependent without blockOwnerDeletion does not hold it", rs, List.of(nonBlocking),
                        new Decision.RemoveFinalizer(Node.FOREGROUND)),
                Arguments.of("a blocking dependent is to be deleted", rs, List.of(blocking, nonBlocking),
                        new Decision.AwaitDependents(List.of(blocking))),
                Arguments.of("an invalid dependent in another namespace is ignored", rs, List.of(elsewhere),
                        new Decision.RemoveFinalizer(Node.FOREGROUND)),
                Arguments.of("a dependent already waiting for its own holds it but needs no push", rs,
                        List.of(waiting), new Decision.AwaitDependents(List.of())),
                Arguments.of("a terminating dependent still blocks until it is gone", rs, List.of(terminating),
                        new Decision.AwaitDependents(List.of(terminating))),
                Arguments.of("a cluster-scoped owner owns across namespaces", node, List.of(onNode),
                        new Decision.AwaitDependents(List.of(onNode))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foregroundCases")
    void forDeletingDependents(String name, Node item, List<Node> dependents, Decision expected) {
        assertThat(GcRules.forDeletingDependents(item, dependents)).isEqualTo(expected);
    }

    @Test
    void orphaningReleasesOnlyValidDependents() {
        Node owner = n(DEPLOYMENTS, "ns", "web").finalizer(Node.ORPHAN).deleting().build();
        Node same = n(REPLICA_SETS, "ns", "web-1").ownedBy(owner, true).build();
        Node elsewhere = n(REPLICA_SETS, "other", "web-1").ownedBy(owner, true).build();

        assertThat(GcRules.toOrphan(owner, List.of(same, elsewhere))).containsExactly(same);
    }

    @Test
    void validDependentsFollowScope() {
        Node role = n(CLUSTER_ROLES, "", "admin").build();
        Node clusterDependent = n(CLUSTER_ROLES, "", "admin-extra").ownedBy(role, false).build();
        Node namespacedDependent = n(PODS, "ns", "p").ownedBy(role, false).build();
        Node otherNamespace = n(REPLICA_SETS, "other", "rs").ownedBy(DEPLOYMENT, false).build();

        assertThat(GcRules.isValidDependent(role, clusterDependent)).isTrue();
        assertThat(GcRules.isValidDependent(role, namespacedDependent)).isTrue();
        assertThat(GcRules.isValidDependent(DEPLOYMENT, RS)).isTrue();
        assertThat(GcRules.isValidDependent(DEPLOYMENT, otherNamespace)).isFalse();
    }

    @Test
    void nodesReportTheirPropagationMarks() {
        assertThat(WAITING_POD.deletingDependents()).isTrue();
        assertThat(WAITING_POD.orphaningDependents()).isFalse();
        assertThat(n(PODS, "ns", "x").finalizer(Node.FOREGROUND).build().deletingDependents())
                .as("a finalizer alone, without the deletion mark, is not a deletion").isFalse();
        assertThat(n(PODS, "ns", "x").finalizer(Node.ORPHAN).deleting().build().orphaningDependents()).isTrue();
    }
}
