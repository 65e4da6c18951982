package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.storage.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RBAC objects in memory, kept current by a watch per kind (listed first, then watched from the list's
 * revision, so no change is missed). Authorization reads it without touching storage. Thread-safe.
 */
public final class RbacIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RbacIndex.class);

    /** A binding: the role it grants and to whom. */
    record Binding(String namespace, String roleKind, String roleName, List<JsonNode> subjects) {
    }

    private final Map<String, List<PolicyRule>> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, List<PolicyRule>> roles = new ConcurrentHashMap<>();
    private final Map<String, Binding> clusterRoleBindings = new ConcurrentHashMap<>();
    private final Map<String, Binding> roleBindings = new ConcurrentHashMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    private RbacIndex() {
    }

    /** Lists and watches the four RBAC kinds through {@code store}. Blocks until the initial lists are loaded. */
    public static RbacIndex start(ObjectStore store, ResourceCatalog catalog) {
        RbacIndex index = new RbacIndex();
        for (String plural : List.of("clusterroles", "roles", "clusterrolebindings", "rolebindings")) {
            ResourceType type = catalog.find("rbac.authorization.k8s.io", "v1", plural).orElseThrow();
            index.follow(store, type);
        }
        return index;
    }

    private void follow(ObjectStore store, ResourceType type) {
        ObjectList initial = store.list(type, "", 0, null, 0, o -> true);
        initial.items().forEach(o -> apply(type.plural(), o, false));
        watches.add(store.watch(type, "", initial.revision(), ObjectStore.EVERYTHING,
                event -> apply(type.plural(), event.object(), event.type() == ObjectEvent.Type.DELETED),
                end -> {
                    if (end != null) {
                        // History ran out under us: reload and follow again.
                        LOG.warn("RBAC watch on {} ended ({}); reloading", type.plural(), end.getMessage());
                        clear(type.plural());
                        follow(store, type);
                    }
                }));
    }

    private void clear(String plural) {
        switch (plural) {
            case "clusterroles" -> clusterRoles.clear();
            case "roles" -> roles.clear();
            case "clusterrolebindings" -> clusterRoleBindings.clear();
            default -> roleBindings.clear();
        }
    }

    private void apply(String plural, ObjectNode object, boolean deleted) {
        String name = object.path("metadata").path("name").asText();
        String namespace = object.path("metadata").path("namespace").asText("");
        String key = namespace + "/" + name;
        switch (plural) {
            case "clusterroles" -> put(clusterRoles, name, deleted ? null : rules(object));
            case "roles" -> put(roles, key, deleted ? null : rules(object));
            case "clusterrolebindings" -> put(clusterRoleBindings, name, deleted ? null : binding(object));
            default -> put(roleBindings, key, deleted ? null : binding(object));
        }
    }

    private static <V> void put(Map<String, V> map, String key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    private static List<PolicyRule> rules(ObjectNode role) {
        List<PolicyRule> rules = new ArrayList<>();
        role.path("rules").forEach(rule -> rules.add(PolicyRule.fromJson(rule)));
        return List.copyOf(rules);
    }

    private static Binding binding(ObjectNode object) {
        List<JsonNode> subjects = new ArrayList<>();
        object.path("subjects").forEach(subjects::add);
        return new Binding(object.path("metadata").path("namespace").asText(""),
                object.path("roleRef").path("kind").asText(), object.path("roleRef").path("name").asText(),
                List.copyOf(subjects));
    }

    /** Every rule that applies to {@code user} in {@code namespace} ("" for cluster scope only). */
    List<PolicyRule> rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> result = new ArrayList<>();
        for (Binding binding : clusterRoleBindings.values()) {
            if (binds(binding, user)) {
                result.addAll(clusterRoles.getOrDefault(binding.roleName(), List.of()));
            }
        }
        if (!namespace.isEmpty()) {
            for (Binding binding : roleBindings.values()) {
                if (binding.namespace().equals(namespace) && binds(binding, user)) {
                    result.addAll(binding.roleKind().equals("ClusterRole")
                            ? clusterRoles.getOrDefault(binding.roleName(), List.of())
                            : roles.getOrDefault(namespace + "/" + binding.roleName(), List.of()));
                }
            }
        }
        return result;
    }

    private static boolean binds(Binding binding, UserInfo user) {
        for (JsonNode subject : binding.subjects()) {
            String name = subject.path("name").asText();
            switch (subject.path("kind").asText()) {
                case "User" -> {
                    if (name.equals(user.name())) {
                        return true;
                    }
                }
                case "Group" -> {
                    if (user.inGroup(name)) {
                        return true;
                    }
                }
                case "ServiceAccount" -> {
                    String namespace = subject.path("namespace").asText(binding.namespace());
                    if (user.name().equals("system:serviceaccount:" + namespace + ":" + name)) {
                        return true;
                    }
                }
                default -> {
                    // unknown subject kinds grant nothing
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        watches.forEach(Watch::cancel);
    }
}
