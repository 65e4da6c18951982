package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.skiff.apiserver.apply.ListKind;
import dev.skiff.apiserver.apply.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server-side apply {@link Shape} of a built-in kind, from the strategic merge patch table ({@link PatchMeta}):
 * a list merged by key is an associative list on that key, a merged primitive list is a set, any other list is
 * atomic. Where the v1.32 {@code listMapKey} markers name more keys than the patch merge key, they are added
 * (container and service ports also by {@code protocol}, which defaults to TCP; topology spread constraints also by
 * {@code whenUnsatisfiable}); label selectors and the small reference structs marked {@code structType=atomic}
 * are atomic objects. Immutable.
 */
final class BuiltinShape implements Shape {

    private static final Map<String, JsonNode> TCP = Map.of("protocol", TextNode.valueOf("TCP"));

    /** Fields whose objects upstream marks atomic (LabelSelector, ObjectFieldSelector, key selectors...). */
    private static final Set<String> ATOMIC_OBJECTS = Set.of("selector", "labelSelector", "podSelector",
            "namespaceSelector", "fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef");

    private final String kind;
    private final BuiltinShape parent;
    private final String name;

    private BuiltinShape(String kind, BuiltinShape parent, String name) {
        this.kind = kind;
        this.parent = parent;
        this.name = name;
    }

    /** The shape of a whole object of {@code kind}. */
    static Shape of(String kind) {
        return new BuiltinShape(kind, null, null);
    }

    @Override
    public Shape field(String field) {
        return new BuiltinShape(kind, this, field);
    }

    /** Items keep their list's path: {@link PatchMeta} names list fields once per level. */
    @Override
    public Shape items() {
        return this;
    }

    @Override
    public ListKind list() {
        if (name == null) {
            return ListKind.ATOMIC;
        }
        return switch (PatchMeta.forList(kind, parent.path(), name)) {
            case PatchMeta.Replace replace -> ListKind.ATOMIC;
            case PatchMeta.PrimitiveSet set -> ListKind.SET;
            case PatchMeta.ByKey byKey -> switch (byKey.key()) {
                case "containerPort" -> new ListKind.Map(List.of("containerPort", "protocol"), TCP);
                case "port" -> new ListKind.Map(List.of("port", "protocol"), TCP);
                case "topologyKey" -> new ListKind.Map(List.of("topologyKey", "whenUnsatisfiable"));
                default -> new ListKind.Map(List.of(byKey.key()));
            };
        };
    }

    @Override
    public boolean atomicObject() {
        if (name == null) {
            return false;
        }
        if (ATOMIC_OBJECTS.contains(name)) {
            return true;
        }
        // NodeSelector under nodeAffinity (the pod affinity field of the same name is a list).
        return name.equals("requiredDuringSchedulingIgnoredDuringExecution") && parent.name != null
                && parent.name.equals("nodeAffinity");
    }

    /** The field names from the root to this node, this one included. */
    private List<String> path() {
        List<String> names = new ArrayList<>();
        for (BuiltinShape node = this; node != null && node.name != null; node = node.parent) {
            names.add(0, node.name);
        }
        return names;
    }
}
