package dev.skiff.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RbacAuthorizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserInfo ADMIN = new UserInfo("skiff-admin", "", List.of("system:masters",
            UserInfo.AUTHENTICATED), Map.of());
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of(UserInfo.AUTHENTICATED), Map.of());
    private static final UserInfo ROBOT = new UserInfo("system:serviceaccount:team:robot", "",
            List.of("system:serviceaccounts", "system:serviceaccounts:team", UserInfo.AUTHENTICATED), Map.of());

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private ObjectStore store;
    private RbacIndex index;
    private RbacAuthorizer authorizer;
    private final ResourceCatalog catalog = ResourceCatalog.builtin();

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
        store = new ObjectStore(backend, JSON, Clock.systemUTC());
        BootstrapPolicy.ensure(store, catalog, JSON);
        index = RbacIndex.start(store, catalog);
        authorizer = new RbacAuthorizer(index);
    }

    @AfterEach
    void close() {
        index.close();
        backend.close();
    }

    private static Attributes resource(UserInfo user, String verb, String group, String resource, String namespace) {
        return new Attributes(user, verb, true, group, resource, "", namespace, "", "");
    }

    @Test
    void mastersMayDoAnything() {
        assertThat(authorizer.authorize(resource(ADMIN, "delete", "apps", "deployments", "default")).allowed())
                .isTrue();
        assertThat(authorizer.authorize(new Attributes(ADMIN, "get", false, "", "", "", "", "", "/metrics"))
                .allowed()).isTrue();
    }

    @Test
    void anAuthenticatedUserGetsDiscoveryAndSelfReviewsOnly() {
        assertThat(authorizer.authorize(new Attributes(ALICE, "get", false, "", "", "", "", "", "/apis/apps/v1"))
                .allowed()).isTrue();
        assertThat(authorizer.authorize(resource(ALICE, "create", "authorization.k8s.io",
                "selfsubjectaccessreviews", "")).allowed()).isTrue();

        RbacAuthorizer.Decision denied = authorizer.authorize(resource(ALICE, "list", "", "pods", "default"));
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(
                "User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
        assertThat(authorizer.authorize(resource(ALICE, "list", "", "nodes", "")).reason())
                .endsWith("at the cluster scope");
    }

    @Test
    void impersonationNeedsTheImpersonateVerb() {
        Impersonation impersonation = new Impersonation(authorizer);
        java.util.Map<String, List<String>> asRobot = Map.of("impersonate-user",
                List.of("system:serviceaccount:team:robot"));

        UserInfo robot = impersonation.effectiveUser(ADMIN, h -> asRobot.getOrDefault(h, List.of()),
                List.copyOf(asRobot.keySet()));
        assertThat(robot.name()).isEqualTo("system:serviceaccount:team:robot");
        assertThat(robot.groups()).contains("system:serviceaccounts", "system:serviceaccounts:team",
                UserInfo.AUTHENTICATED);
        assertThat(impersonation.effectiveUser(ALICE, h -> List.of(), List.of())).isEqualTo(ALICE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> impersonation.effectiveUser(ALICE,
                h -> h.equals("impersonate-user") ? List.of("bob") : List.of(), List.of("impersonate-user")))
                .isInstanceOfSatisfying(dev.skiff.apiserver.status.ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("users \"bob\" is forbidden: User \"alice\" cannot "
                            + "impersonate resource \"users\" in API group \"\" at the cluster scope");
                });
    }

    @Test
    void roleBindingsGrantWithinTheirNamespace() {
        ObjectNode binding = JSON.createObjectNode();
        binding.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "RoleBinding");
        binding.putObject("metadata").put("name", "team-view").put("namespace", "team");
        binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole")
                .put("name", "view");
        binding.putArray("subjects").addObject().put("kind", "ServiceAccount").put("name", "robot");
        store.create(catalog.find("rbac.authorization.k8s.io", "v1", "rolebindings").orElseThrow(), binding);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> authorizer.authorize(resource(ROBOT, "list", "", "pods", "team")).allowed());
        assertThat(authorizer.authorize(resource(ROBOT, "list", "", "pods", "default")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ROBOT, "delete", "", "pods", "team")).allowed()).isFalse();
        assertThat(authorizer.authorize(resource(ROBOT, "get", "", "secrets", "team")).allowed())
                .as("view does not read secrets").isFalse();
    }
}
